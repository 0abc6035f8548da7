import Testing
import Foundation
@testable import GB28181

/// Spec §10.1 receive-side tolerance list, the items that concern MANSCDP bodies (one test each).
struct ReceiveQuirkTests {
    func message(_ text: String) throws -> MANSCDPMessage { try MANSCDPDecoder.decode(Array(text.utf8)).message }

    @Test("§10.1.4 🔧 Hikvision bare & in a name is escaped, and reported")
    func bareAmpersand() throws {
        let body = Spec.catalogResponse.replacingOccurrences(of: "<Owner>Owner</Owner>", with: "<Owner>R&D &amp; Ops</Owner>")
        let received = try MANSCDPDecoder.decode(Array(body.utf8))
        #expect(received.repairs == [.escapedBareAmpersand])
        guard case .response(.catalog(let catalog)) = received.message else {
            Issue.record("not a catalog")
            return
        }
        #expect(catalog.items.first?.owner == "R&D & Ops")
    }

    @Test("§3.1 🔧 `<` inside Address is repaired on the second attempt")
    func markupInsideAddress() throws {
        let body = Spec.catalogResponse.replacingOccurrences(of: "<Address>Address</Address>",
                                                             with: "<Address>Gate <3> West</Address>")
        let received = try MANSCDPDecoder.decode(Array(body.utf8))
        #expect(received.repairs == [.escapedAddressMarkup])
        guard case .response(.catalog(let catalog)) = received.message else {
            Issue.record("not a catalog")
            return
        }
        #expect(catalog.items.first?.address == "Gate <3> West")
    }

    @Test("§10.1.4 element names in unexpected case, Num=\" 1 \", info vs Info")
    func unexpectedCase() throws {
        let body = """
        <response><cmdtype>catalog</cmdtype><sn> 7 </sn><deviceid>34020000001320000001</deviceid>
        <sumnum> 1 </sumnum><devicelist num=" 1 "><item><deviceid>34020000001310000001</deviceid>
        <name> Gate </name><status>on</status><info><ptztype>3</ptztype></info></item></devicelist></response>
        """
        guard case .response(.catalog(let catalog)) = try message(body) else {
            Issue.record("not a catalog")
            return
        }
        #expect(catalog.sn == 7)
        #expect(catalog.sumNum == 1)
        #expect(catalog.list.declaredNum == 1)
        #expect(catalog.items == [CatalogItem(deviceID: "34020000001310000001", name: "Gate", status: .on,
                                              info: CatalogItemInfo(ptzType: 3))])
    }

    @Test("🔧 [W] forwards alarms with <info> in lower case")
    func lowerCaseInfoInAlarm() throws {
        let body = Spec.alarmNotify.replacingOccurrences(of: "<Info>", with: "<info>").replacingOccurrences(of: "</Info>", with: "</info>")
        guard case .notify(.alarm(let alarm)) = try message(body) else {
            Issue.record("not an alarm")
            return
        }
        #expect(alarm.alarmType == "2")
    }

    @Test("§10.1.6 status values", arguments: [
        ("ON", ChannelStatus.on), ("on", .on), ("OK", .on), ("ONLINE", .on), ("OFF", .off), ("OFFLINE", .off),
        ("offline", .off), ("BROKEN", .other("BROKEN")),
    ])
    func statusValues(raw: String, expected: ChannelStatus) throws {
        let body = "<Response><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>1</DeviceID><SumNum>1</SumNum><DeviceList Num=\"1\">"
            + "<Item><DeviceID>34020000001310000001</DeviceID><Status>\(raw)</Status></Item></DeviceList></Response>"
        guard case .response(.catalog(let catalog)) = try message(body) else {
            Issue.record("not a catalog")
            return
        }
        #expect(catalog.items.first?.status == expected)
    }

    @Test("§10.1.5 region items with 2-8 digit IDs and a 10-digit CivilCode")
    func regionItemsAndLongCivilCode() throws {
        let body = """
        <Response><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>34020000002000000001</DeviceID><SumNum>3</SumNum>
        <DeviceList Num="3"><Item><DeviceID>34</DeviceID><Name>省</Name></Item>
        <Item><DeviceID>34020000</DeviceID><Name>Base</Name></Item>
        <Item><DeviceID>34020000001310000001</DeviceID><CivilCode>3402000000</CivilCode></Item></DeviceList></Response>
        """
        guard case .response(.catalog(let catalog)) = try message(body) else {
            Issue.record("not a catalog")
            return
        }
        #expect(catalog.items.map(\.kind) == [.region, .region, .channel])
        #expect(catalog.items[2].civilCode == "3402000000")
        #expect(catalog.items[2].regionCode == "34020000")
    }

    @Test("§10.1.5 SumNum 0 with no list is an empty catalog, not an error")
    func sumNumZero() throws {
        let body = "<Response><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>34020000001320000001</DeviceID><SumNum>0</SumNum></Response>"
        #expect(try message(body) == .response(.catalog(CatalogResponse(sn: 1, deviceID: "34020000001320000001", sumNum: 0, items: []))))
    }

    @Test func itemsWithoutDeviceIDAreSkippedAndCounted() throws {
        let body = "<Response><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>1</DeviceID><SumNum>2</SumNum><DeviceList Num=\"2\">"
            + "<Item><Name>nameless</Name></Item><Item><DeviceID>34020000001310000001</DeviceID><Port>x</Port></Item></DeviceList></Response>"
        guard case .response(.catalog(let catalog)) = try message(body) else {
            Issue.record("not a catalog")
            return
        }
        #expect(catalog.items.count == 1)
        #expect(catalog.list.skippedItems == 1)
        #expect(catalog.items.first?.port == nil)
    }

    @Test("§3.6 BusinessGroupID at item level or inside Info; 🔧 PTZType at item level")
    func businessGroupInBothPlaces() throws {
        let body = """
        <Response><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>34020000002000000002</DeviceID><SumNum>2</SumNum><DeviceList Num="2">
        <Item><DeviceID>34020000002160000001</DeviceID><Name>District A</Name><ParentID>34020000002150000001</ParentID><BusinessGroupID>34020000002150000001</BusinessGroupID></Item>
        <Item><DeviceID>34020000001310000001</DeviceID><Name>Gate</Name><ParentID>34020000002160000002</ParentID><PTZType>3</PTZType><Info><BusinessGroupID>34020000002150000001</BusinessGroupID></Info></Item>
        </DeviceList></Response>
        """
        guard case .response(.catalog(let catalog)) = try message(body) else {
            Issue.record("not a catalog")
            return
        }
        #expect(catalog.items[0].businessGroupID == "34020000002150000001")
        #expect(catalog.items[1].businessGroupID == "34020000002150000001")
        #expect(catalog.items[1].info?.ptzType == 3)
        // Written back where [W] writes it: item level for 216, Info for channels.
        let xml = catalog.xml(charset: .utf8)
        #expect(xml.contains("<ParentID>34020000002150000001</ParentID>\r\n<BusinessGroupID>34020000002150000001</BusinessGroupID>"))
        #expect(xml.contains("<Info>\r\n<PTZType>3</PTZType>\r\n<BusinessGroupID>34020000002150000001</BusinessGroupID>\r\n</Info>"))
    }

    @Test("2022 multi-parent ParentID and unknown fields are kept for forwarding")
    func multiParentAndUnknownFields() throws {
        let body = "<Response><CmdType>Catalog</CmdType><SN>1</SN><DeviceID>1</DeviceID><SumNum>1</SumNum><DeviceList Num=\"1\">"
            + "<Item><DeviceID>34020000001310000001</DeviceID><ParentID>34020000002160000001/34020000002160000002</ParentID>"
            + "<SecurityLevelCode>A</SecurityLevelCode><Info><PTZType>5</PTZType><MAC>00-11-22-33-44-55</MAC></Info></Item></DeviceList></Response>"
        guard case .response(.catalog(let catalog)) = try message(body), let item = catalog.items.first else {
            Issue.record("not a catalog")
            return
        }
        #expect(item.parentIDs == ["34020000002160000001", "34020000002160000002"])
        #expect(item.extraFields.map(\.name) == ["SecurityLevelCode"])
        #expect(item.info?.extraFields.first?.text == "00-11-22-33-44-55")
        let rebuilt = catalog.xml(charset: .utf8)
        #expect(rebuilt.contains("<SecurityLevelCode>A</SecurityLevelCode>"))
        #expect(rebuilt.contains("<MAC>00-11-22-33-44-55</MAC>"))
    }

    @Test("§10.1.12 IFameCmd (2016) and IFrameCmd (2022), alone or together")
    func iFrameSpellings() throws {
        func control(_ elements: String) throws -> DeviceControl? {
            let body = "<Control><CmdType>DeviceControl</CmdType><SN>1</SN><DeviceID>34020000001310000001</DeviceID>\(elements)</Control>"
            guard case .control(.deviceControl(let control)) = try message(body) else { return nil }
            return control
        }
        #expect(try control("<IFameCmd>Send</IFameCmd>")?.command == .iFrame(.gb2016))
        #expect(try control("<IFrameCmd>Send</IFrameCmd>")?.command == .iFrame(.gb2022))
        let both = try control("<IFameCmd>Send</IFameCmd><IFrameCmd>Send</IFrameCmd>")
        #expect(both?.command == .iFrame(.both))
        #expect(both?.extraFields.isEmpty == true)
        let built = DeviceControl(sn: 1, deviceID: "34020000001310000001", command: .iFrame(.both)).xml()
        #expect(built.contains("<IFameCmd>Send</IFameCmd>\r\n<IFrameCmd>Send</IFrameCmd>"))
    }

    @Test("§10.1.12 Alarm via MESSAGE and via NOTIFY is the same body")
    func alarmBodyIsTransportIndependent() throws {
        guard case .notify(.alarm(let alarm)) = try message(Spec.alarmNotify) else {
            Issue.record("not an alarm")
            return
        }
        #expect(alarm.alarmTime == GBDateTime(year: 2024, month: 5, day: 20, hour: 8, minute: 15, second: 30))
    }

    @Test("unknown CmdTypes are values, not errors", arguments: [
        "<Query><CmdType>SDCardStatus</CmdType><SN>3</SN><DeviceID>34020000001320000001</DeviceID></Query>",
        "<Control><CmdType>DeviceConfig</CmdType><SN>3</SN><DeviceID>34020000001320000001</DeviceID><BasicParam/></Control>",
        "<Notify><CmdType>Broadcast</CmdType><SN>3</SN><SourceID>34020000002000000001</SourceID><TargetID>34020000001370000001</TargetID></Notify>",
        "<Response><CmdType>PTZPosition</CmdType><SN>3</SN><DeviceID>34020000001320000001</DeviceID><Pan>1.0</Pan></Response>",
    ])
    func unknownCmdTypes(body: String) throws {
        let parsed = try message(body)
        let unknown = try #require(parsed.unknownCommand)
        #expect(unknown.sn == 3)
        #expect(parsed.sn == 3)
    }

    @Test func unknownControlSubCommandIsKept() throws {
        let body = "<Control><CmdType>DeviceControl</CmdType><SN>1</SN><DeviceID>34020000001310000001</DeviceID>"
            + "<PTZPreciseCtrl><Pan>120.50</Pan></PTZPreciseCtrl></Control>"
        guard case .control(.deviceControl(let control)) = try message(body), case .other(let element) = control.command else {
            Issue.record("not kept")
            return
        }
        #expect(element.value("Pan") == "120.50")
    }

    @Test("§10.1.11 a PTZCmd with a bad checksum is a typed error naming the element")
    func badPTZChecksum() throws {
        let body = Spec.ptzControl.replacingOccurrences(of: "A50F0101320000E8", with: "A50F0101320000E9")
        let error = try #require(throws: MANSCDPError.self) { try message(body) }
        guard case .invalidValue(let element, let value, _) = error else {
            Issue.record("wrong error \(error)")
            return
        }
        #expect(element == "PTZCmd")
        #expect(value == "A50F0101320000E9")
    }

    @Test("times: T or space, milliseconds, a trailing zone is ignored", arguments: [
        "2024-05-20T08:00:05", "2024-05-20 08:00:05", "2024-05-20T08:00:05.123", "2024-05-20T08:00:05+08:00",
    ])
    func lenientTimes(raw: String) throws {
        let time = try #require(GBDateTime(parsing: raw))
        #expect(time.description == "2024-05-20T08:00:05")
    }

    @Test func invalidTimesAreRejected() {
        #expect(GBDateTime(parsing: "2024-13-20T08:00:05") == nil)
        #expect(GBDateTime(parsing: "yesterday") == nil)
        #expect(GBDateTime(parsing: "2024-05-20") == nil)
    }

    @Test func recordInfoQueryNeedsTimes() {
        let body = "<Query><CmdType>RecordInfo</CmdType><SN>1</SN><DeviceID>34020000001310000001</DeviceID><StartTime>soon</StartTime></Query>"
        #expect(throws: MANSCDPError.invalidValue(element: "StartTime", value: "soon", expected: "yyyy-MM-ddTHH:mm:ss")) {
            try message(body)
        }
    }

    @Test func keepaliveWithFaultySubDevices() throws {
        let keepalive = Keepalive(sn: 3, deviceID: "34020000001320000001", faultyDeviceIDs: ["34020000001310000001", "34020000001310000002"])
        #expect(try message(keepalive.xml(charset: .utf8)) == .notify(.keepalive(keepalive)))
        #expect(keepalive.xml().contains("<Info>\r\n<DeviceID>34020000001310000001</DeviceID>\r\n<DeviceID>34020000001310000002</DeviceID>\r\n</Info>"))
    }

    @Test("2022 MobilePosition list form is parsed ([L] ⚠️)")
    func mobilePositionListForm() throws {
        let body = "<Notify><CmdType>MobilePosition</CmdType><SN>1</SN><DeviceID>34020000001320000001</DeviceID><SumNum>2</SumNum>"
            + "<DeviceList Num=\"2\"><Item><DeviceID>34020000001380000001</DeviceID><CaptureTime>2024-05-20T08:20:00</CaptureTime>"
            + "<Longitude>117.1</Longitude><Latitude>31.1</Latitude><Height>12.5</Height></Item>"
            + "<Item><DeviceID>34020000001380000002</DeviceID><Longitude>117.2</Longitude><Latitude>31.2</Latitude></Item></DeviceList></Notify>"
        guard case .notify(.mobilePosition(let notify)) = try message(body) else {
            Issue.record("not a position")
            return
        }
        #expect(notify.positions.map(\.deviceID) == ["34020000001380000001", "34020000001380000002"])
        #expect(notify.positions[0].altitude == 12.5)
        #expect(try message(notify.xml(charset: .utf8)) == .notify(.mobilePosition(notify)))
    }
}

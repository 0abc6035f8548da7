import Testing
import Foundation
@testable import GB28181

/// Every MANSCDP body of the spec: exact Content-Length, parse, and byte-exact rebuild.
struct MANSCDPWireExampleTests {
    struct Example: CustomTestStringConvertible, Sendable {
        var name: String
        var body: String
        var contentLength: Int
        var testDescription: String { name }
    }

    static let bodies: [Example] = [
        Example(name: "keepalive", body: Spec.keepalive, contentLength: 168),
        Example(name: "catalog query", body: Spec.catalogQuery, contentLength: 147),
        Example(name: "device info query", body: Spec.deviceInfoQuery, contentLength: 150),
        Example(name: "device info response", body: Spec.deviceInfoResponse, contentLength: 330),
        Example(name: "device status response", body: Spec.deviceStatusResponse, contentLength: 447),
        Example(name: "config download query", body: Spec.configDownloadQuery, contentLength: 191),
        Example(name: "config download response", body: Spec.configDownloadResponse, contentLength: 343),
        Example(name: "preset query response", body: Spec.presetQueryResponse, contentLength: 341),
        Example(name: "mobile position query", body: Spec.mobilePositionQuery, contentLength: 174),
        Example(name: "ptz control", body: Spec.ptzControl, contentLength: 244),
        Example(name: "control response", body: Spec.controlResponse, contentLength: 177),
        Example(name: "alarm notify", body: Spec.alarmNotify, contentLength: 404),
        Example(name: "alarm response", body: Spec.alarmResponse, contentLength: 170),
        Example(name: "media status", body: Spec.mediaStatus, contentLength: 179),
        Example(name: "mobile position notify", body: Spec.mobilePositionNotify, contentLength: 327),
        Example(name: "catalog response", body: Spec.catalogResponse, contentLength: 714),
        Example(name: "record info query", body: Spec.recordInfoQuery, contentLength: 274),
        Example(name: "record info response", body: Spec.recordInfoResponse, contentLength: 859),
        Example(name: "record info empty", body: Spec.recordInfoEmpty, contentLength: 200),
        Example(name: "subscribe catalog query", body: Spec.subscribeCatalogQuery, contentLength: 143),
        Example(name: "subscribe 200 OK body", body: Spec.subscribeOKBody, contentLength: 170),
        Example(name: "catalog notify", body: Spec.catalogNotify, contentLength: 285),
    ]

    @Test("GB bytes have the spec's Content-Length, parse, and rebuild byte for byte", arguments: bodies)
    func roundTrip(example: Example) throws {
        let (name, body, contentLength) = (example.name, example.body, example.contentLength)
        let wire = try OutgoingCharset.gb2312.encode(body)
        #expect(wire.count == contentLength, "\(name)")
        let received = try MANSCDPDecoder.decode(wire)
        #expect(received.repairs.isEmpty)
        let command = try #require(received.message.command, "\(name) should be typed")
        #expect(try command.encoded(charset: .gb2312) == wire, "\(name)")
    }

    @Test func keepaliveValues() throws {
        let message = try MANSCDPDecoder.decode(Array(Spec.keepalive.utf8)).message
        #expect(message == .notify(.keepalive(Keepalive(sn: 2, deviceID: "34020000001320000001", status: .ok))))
    }

    @Test func queriesBuildExactly() throws {
        #expect(CatalogQuery(sn: 17430, deviceID: "34020000001320000001").xml() == Spec.catalogQuery)
        #expect(DeviceQuery(cmdType: .deviceInfo, sn: 17431, deviceID: "34020000001320000001").xml() == Spec.deviceInfoQuery)
        #expect(ConfigDownloadQuery(sn: 17436, deviceID: "34020000001320000001").xml() == Spec.configDownloadQuery)
        #expect(MobilePositionQuery(sn: 6, deviceID: "34020000001320000001", interval: 5).xml() == Spec.mobilePositionQuery)
        let record = RecordInfoQuery(sn: 17433, deviceID: "34020000001310000001",
                                     startTime: GBDateTime(year: 2024, month: 5, day: 20),
                                     endTime: GBDateTime(year: 2024, month: 5, day: 20, hour: 23, minute: 59, second: 59))
        #expect(record.xml() == Spec.recordInfoQuery)
    }

    @Test func deviceResponsesValues() throws {
        let info = try MANSCDPDecoder.decode(Array(Spec.deviceInfoResponse.utf8)).message
        #expect(info == .response(.deviceInfo(DeviceInfoResponse(
            sn: 17431, deviceID: "34020000001320000001", deviceName: "IPC-Gate", result: .ok,
            manufacturer: "Hikvision", model: "DS-2CD3T46", firmware: "V5.7.3", channel: 1))))

        let status = DeviceStatusResponse(
            sn: 17432, deviceID: "34020000001320000001", result: .ok, online: true, status: .ok, encode: true,
            record: false, deviceTime: GBDateTime(year: 2024, month: 5, day: 20, hour: 8, minute: 0, second: 5),
            alarmStatus: [.init(deviceID: "34020000001340000001", dutyStatus: .offDuty)])
        #expect(status.xml() == Spec.deviceStatusResponse)
        #expect(try MANSCDPDecoder.decode(Array(Spec.deviceStatusResponse.utf8)).message == .response(.deviceStatus(status)))

        let config = ConfigDownloadResponse(sn: 17436, deviceID: "34020000001320000001", basicParam: BasicParam(
            name: "IPC-Gate", expiration: 3600, heartBeatInterval: 60, heartBeatCount: 3))
        #expect(config.xml() == Spec.configDownloadResponse)

        let presets = PresetQueryResponse(sn: 17435, deviceID: "34020000001310000001",
                                          presets: [Preset(id: 1, name: "Gate"), Preset(id: 2, name: "Parking")])
        #expect(presets.xml() == Spec.presetQueryResponse)
        #expect(try MANSCDPDecoder.decode(Array(Spec.presetQueryResponse.utf8)).message == .response(.presetQuery(presets)))
    }

    @Test func controlValues() throws {
        let ptz = DeviceControl(sn: 11, deviceID: "34020000001310000001",
                                command: .ptz(PTZCommand.move(PTZMove(pan: .right, panSpeed: 0x32)).instruction(),
                                              controlPriority: 5))
        #expect(ptz.xml() == Spec.ptzControl)
        #expect(try MANSCDPDecoder.decode(Array(Spec.ptzControl.utf8)).message == .control(.deviceControl(ptz)))
        #expect(CommandResult(cmdType: .deviceControl, sn: 12, deviceID: "34020000001310000001").xml() == Spec.controlResponse)
    }

    static let shapes: [(Int, DeviceControlCommand)] = [
        (0, .teleBoot),
        (1, .record(.record, streamNumber: nil)),
        (2, .guardCommand(.setGuard)),
        (3, .resetAlarm(alarmMethod: "2", alarmType: "1")),
        (4, .iFrame(.gb2016)),
        (5, .dragZoom(DragZoom(zoomIn: true, length: 1920, width: 1080, midPointX: 960, midPointY: 540,
                               lengthX: 320, lengthY: 180))),
        (6, .homePosition(HomePosition(enabled: true, resetTime: 60, presetIndex: 1))),
    ]

    @Test("§3.4 control shapes parse to the right sub-command and rebuild the same elements", arguments: shapes)
    func controlShapes(index: Int, expected: DeviceControlCommand) throws {
        let shape = Spec.controlShapes[index]
        let message = try MANSCDPDecoder.decode(Array(shape.utf8)).message
        guard case .control(.deviceControl(let control)) = message else {
            Issue.record("not a DeviceControl: \(message)")
            return
        }
        #expect(control.command == expected)
        #expect(control.sn == 13 + index)
        let rebuilt = control.xml(charset: .utf8).replacingOccurrences(of: "\r\n", with: "")
        #expect(rebuilt == XMLDeclaration.utf8Declaration + shape)
    }

    @Test func notifyValues() throws {
        let alarm = AlarmNotify(sn: 300, deviceID: "34020000001310000001", alarmPriority: 1, alarmMethod: "5",
                                alarmTime: GBDateTime(year: 2024, month: 5, day: 20, hour: 8, minute: 15, second: 30),
                                alarmDescription: "motion", longitude: 117.2272, latitude: 31.8206, alarmType: "2")
        #expect(alarm.xml() == Spec.alarmNotify)
        #expect(try MANSCDPDecoder.decode(Array(Spec.alarmNotify.utf8)).message == .notify(.alarm(alarm)))
        #expect(CommandResult(cmdType: .alarm, sn: 300, deviceID: "34020000001310000001").xml() == Spec.alarmResponse)

        let media = MediaStatusNotify(sn: 8, deviceID: "34020000001310000001")
        #expect(media.xml() == Spec.mediaStatus)
        #expect(media.isFileTransferEnded)

        let position = MobilePositionNotify(sn: 128, deviceID: "34020000001320000001", positions: [MobilePosition(
            deviceID: "34020000001320000001", time: GBDateTime(year: 2024, month: 5, day: 20, hour: 8, minute: 20),
            longitude: 117.2272, latitude: 31.8206, speed: 0, direction: 90, altitude: 30)])
        #expect(position.xml() == Spec.mobilePositionNotify)
        #expect(try MANSCDPDecoder.decode(Array(Spec.mobilePositionNotify.utf8)).message == .notify(.mobilePosition(position)))
    }

    @Test func catalogResponseValues() throws {
        let item = CatalogItem(deviceID: "34020000001310000001", name: "一号门摄像机", manufacturer: "Hikvision",
                               model: "IP Camera", owner: "Owner", civilCode: "34020000", address: "Address", parental: 0,
                               parentID: "34020000001320000001", safetyWay: 0, registerWay: 1, secrecy: 0, status: .on,
                               longitude: 117.2272, latitude: 31.8206, info: CatalogItemInfo(ptzType: 1))
        let response = CatalogResponse(sn: 17430, deviceID: "34020000001320000001", sumNum: 1, items: [item])
        #expect(try response.encoded(charset: .gb2312) == OutgoingCharset.gb2312.encode(Spec.catalogResponse))
        let received = try MANSCDPDecoder.decode(try OutgoingCharset.gb2312.encode(Spec.catalogResponse))
        #expect(received.body.detected == .gb18030)
        #expect(received.body.declarationMismatch == false)
        guard case .response(.catalog(let parsed)) = received.message else {
            Issue.record("not a catalog response")
            return
        }
        #expect(parsed.items == [item])
        #expect(parsed.list.declaredNum == 1)
        #expect(parsed.sumNum == 1)
    }

    @Test func recordInfoValues() throws {
        func time(_ h: Int, _ m: Int) -> GBDateTime { GBDateTime(year: 2024, month: 5, day: 20, hour: h, minute: m) }
        let items = [
            RecordItem(deviceID: "34020000001310000001", name: "Camera 01", filePath: "ch01_20240520080000",
                       address: "Address", startTime: time(8, 0), endTime: time(9, 0), secrecy: 0, type: .time,
                       fileSize: 536_870_912),
            RecordItem(deviceID: "34020000001310000001", name: "Camera 01", filePath: "ch01_20240520091500",
                       address: "Address", startTime: time(9, 15), endTime: time(9, 20), secrecy: 0, type: .alarm,
                       fileSize: 41_943_040),
        ]
        let response = RecordInfoResponse(sn: 17433, deviceID: "34020000001310000001", name: "Camera 01", sumNum: 2, items: items)
        #expect(response.xml() == Spec.recordInfoResponse)
        let parsed = try MANSCDPDecoder.decode(Array(Spec.recordInfoResponse.utf8)).message
        #expect(parsed == .response(.recordInfo(RecordInfoResponse(sn: 17433, deviceID: "34020000001310000001",
                                                                    name: "Camera 01", sumNum: 2, items: items, declaredNum: 2))))
        let empty = RecordInfoResponse(sn: 17434, deviceID: "34020000001310000001", name: "Camera 01", sumNum: 0, items: [])
        #expect(empty.xml() == Spec.recordInfoEmpty)
    }

    @Test func subscriptionBodies() throws {
        let ack = try MANSCDPDecoder.decode(Array(Spec.subscribeOKBody.utf8)).message
        #expect(ack == .response(.result(CommandResult(cmdType: .catalog, sn: 5, deviceID: "34020000001320000001"))))
        let notify = CatalogNotify(sn: 1001, deviceID: "34020000001320000001", sumNum: 1,
                                   items: [CatalogItem(deviceID: "34020000001310000001", event: .off)])
        #expect(notify.xml() == Spec.catalogNotify)
        guard case .notify(.catalog(let parsed)) = try MANSCDPDecoder.decode(Array(Spec.catalogNotify.utf8)).message else {
            Issue.record("not a catalog notify")
            return
        }
        #expect(parsed.items == notify.items)
    }
}

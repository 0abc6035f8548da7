extension CatalogItem {
    /// Reads an `<Item>`; nil when it has no DeviceID (such items cannot be stored or addressed).
    /// One pass over the children with a switch: catalogs reach 100 000 items, so no repeated lookups.
    init?(element: MANSCDPElement) {
        var item = CatalogItem(deviceID: "")
        var itemLevelPTZType: Int?
        for field in element.children {
            let text = field.text
            let value: String? = text.isEmpty ? nil : text
            switch field.key {
            case "deviceid": item.deviceID = text
            case "event": item.event = value.map(CatalogEvent.init)
            case "name": item.name = value
            case "manufacturer": item.manufacturer = value
            case "model": item.model = value
            case "owner": item.owner = value
            case "civilcode": item.civilCode = value
            case "block": item.block = value
            case "address": item.address = value
            case "parental": item.parental = value.flatMap { Int($0) }
            case "parentid": item.parentID = value
            case "businessgroupid": item.businessGroupID = value
            case "safetyway": item.safetyWay = value.flatMap { Int($0) }
            case "registerway": item.registerWay = value.flatMap { Int($0) }
            case "certnum": item.certNum = value
            case "certifiable": item.certifiable = value.flatMap { Int($0) }
            case "errcode": item.errCode = value.flatMap { Int($0) }
            case "endtime": item.endTime = value
            case "secrecy": item.secrecy = value.flatMap { Int($0) }
            case "ipaddress": item.ipAddress = value
            case "port": item.port = value.flatMap { Int($0) }
            case "password": item.password = value
            case "status": item.status = value.map(ChannelStatus.init)
            case "longitude": item.longitude = value.flatMap { Double($0) }
            case "latitude": item.latitude = value.flatMap { Double($0) }
            case "ptztype": itemLevelPTZType = value.flatMap { Int($0) }
            case "info":
                let (info, groupID) = Self.readInfo(field)
                item.info = info
                if item.businessGroupID == nil { item.businessGroupID = groupID }
            default: item.extraFields.append(field)
            }
        }
        guard !item.deviceID.isEmpty else { return nil }
        if let itemLevelPTZType, item.info?.ptzType == nil {
            var info = item.info ?? CatalogItemInfo()
            info.ptzType = itemLevelPTZType
            item.info = info
        }
        self = item
    }

    private static func readInfo(_ element: MANSCDPElement) -> (CatalogItemInfo?, String?) {
        var info = CatalogItemInfo()
        var groupID: String?
        for field in element.children {
            let value: String? = field.text.isEmpty ? nil : field.text
            switch field.key {
            case "ptztype": info.ptzType = value.flatMap { Int($0) }
            case "positiontype": info.positionType = value.flatMap { Int($0) }
            case "roomtype": info.roomType = value.flatMap { Int($0) }
            case "usetype": info.useType = value.flatMap { Int($0) }
            case "supplylighttype": info.supplyLightType = value.flatMap { Int($0) }
            case "directiontype": info.directionType = value.flatMap { Int($0) }
            case "resolution": info.resolution = value
            case "downloadspeed": info.downloadSpeed = value
            case "svcspacesupportmode": info.svcSpaceSupportMode = value.flatMap { Int($0) }
            case "svctimesupportmode": info.svcTimeSupportMode = value.flatMap { Int($0) }
            case "businessgroupid": groupID = value
            default: info.extraFields.append(field)
            }
        }
        return (info.isEmpty ? nil : info, groupID)
    }

    /// Writes the item in A.2.1 order, as in the spec's catalog example. BusinessGroupID goes at item level for
    /// 216 items (2016 A.2.1) and inside `Info` for everything else, as [W] writes it.
    func write(to writer: inout MANSCDPWriter) {
        writer.open("Item")
        writer.element("DeviceID", deviceID)
        writer.element("Event", event?.description)
        writer.element("Name", name)
        writer.element("Manufacturer", manufacturer)
        writer.element("Model", model)
        writer.element("Owner", owner)
        writer.element("CivilCode", civilCode)
        writer.element("Block", block)
        writer.element("Address", address)
        writer.element("Parental", parental)
        writer.element("ParentID", parentID)
        let groupAtItemLevel = kind == .virtualOrganization
        if groupAtItemLevel { writer.element("BusinessGroupID", businessGroupID) }
        writer.element("SafetyWay", safetyWay)
        writer.element("RegisterWay", registerWay)
        writer.element("CertNum", certNum)
        writer.element("Certifiable", certifiable)
        writer.element("ErrCode", errCode)
        writer.element("EndTime", endTime)
        writer.element("Secrecy", secrecy)
        writer.element("IPAddress", ipAddress)
        writer.element("Port", port)
        writer.element("Password", password)
        writer.element("Status", status?.description)
        writer.element("Longitude", longitude)
        writer.element("Latitude", latitude)
        for field in extraFields { writer.write(field) }
        let infoGroupID = groupAtItemLevel ? nil : businessGroupID
        if info != nil || infoGroupID != nil {
            writeInfo(info ?? CatalogItemInfo(), groupID: infoGroupID, to: &writer)
        }
        writer.close("Item")
    }

    private func writeInfo(_ info: CatalogItemInfo, groupID: String?, to writer: inout MANSCDPWriter) {
        writer.open("Info")
        writer.element("PTZType", info.ptzType)
        writer.element("PositionType", info.positionType)
        writer.element("RoomType", info.roomType)
        writer.element("UseType", info.useType)
        writer.element("SupplyLightType", info.supplyLightType)
        writer.element("DirectionType", info.directionType)
        writer.element("Resolution", info.resolution)
        writer.element("BusinessGroupID", groupID)
        writer.element("DownloadSpeed", info.downloadSpeed)
        writer.element("SVCSpaceSupportMode", info.svcSpaceSupportMode)
        writer.element("SVCTimeSupportMode", info.svcTimeSupportMode)
        for field in info.extraFields { writer.write(field) }
        writer.close("Info")
    }
}

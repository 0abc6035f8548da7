import GBCore

/// Runs every per-record rule of directory.md section 4 on one camera record. The same validator
/// serves imports, API create/update and (later) catalog sync, so a rule is written once.
/// Rules that need the whole set (duplicate codes) live in `DuplicateCodeTracker`.
public struct CameraValidator: Sendable {
    public struct Limits: Sendable {
        /// Beyond this distance from the division's centre a point is wrong (error).
        public var outsideDivisionKilometres: Double = 200
        /// Between this and the error distance a point is worth a look (warning).
        public var farFromDivisionKilometres: Double = 50
        public var minimumRetentionDays = 30
        public var minimumRetentionDaysClassOne = 90
        public var unusualRetentionDays = 3650

        public init() {}
    }

    public let divisions: DivisionTable
    public let limits: Limits

    public init(divisions: DivisionTable = .standard, limits: Limits = Limits()) {
        self.divisions = divisions
        self.limits = limits
    }

    /// - Parameter required: the fields this record's form must fill in (Appendix 5 by default).
    public func validate(_ record: CameraRecord, row: Int = 0,
                         required: [CameraField] = ImportLayout.appendix5.requiredCameraFields) -> [Finding] {
        var sink = FindingSink(row: row, code: record.code)
        checkRequired(record, required: required, into: &sink)
        checkLengths(record, into: &sink)
        let code = checkCode(record, into: &sink)
        checkDivision(record, code: code, into: &sink)
        checkDictionaries(record, into: &sink)
        CoordinateRules(divisions: divisions, limits: limits).check(record, codeDivision: code?.divisionCode, into: &sink)
        checkNetworkFields(record, into: &sink)
        checkPole(record, code: code, into: &sink)
        checkRetention(record, into: &sink)
        checkPlausibility(record, code: code, into: &sink)
        return sink.findings
    }

    private func checkRequired(_ record: CameraRecord, required: [CameraField], into sink: inout FindingSink) {
        for field in required where record[field].trimmedWhitespace.isEmpty {
            sink.add(.requiredMissing, field, "", zh: "必填项“\(field.header.zh)”为空", en: "required field '\(field.header.en)' is empty")
        }
    }

    private func checkLengths(_ record: CameraRecord, into sink: inout FindingSink) {
        for (field, value) in record.values {
            guard let limit = field.maxLength, field != .code, value.count > limit else { continue }
            sink.add(.tooLong, field, String(value.prefix(40)),
                     zh: "“\(field.header.zh)”长度为\(value.count)，超过\(limit)个字符",
                     en: "'\(field.header.en)' is \(value.count) characters, more than \(limit)")
        }
    }

    /// The code's shape and parts; returns the parsed code when its shape is right.
    private func checkCode(_ record: CameraRecord, into sink: inout FindingSink) -> DeviceCode? {
        let text = record.code
        guard !text.isEmpty else { return nil }
        let code: DeviceCode
        do {
            code = try DeviceCode(parsing: text)
        } catch {
            let rule: DirectoryRule = if case .nonDigit = error { .codeDigits } else { .codeLength }
            sink.add(rule, .code, text, error.message)
            return nil
        }
        for problem in code.problems(divisions: divisions) {
            switch problem {
            case .unknownDivision: sink.add(.codeDivision, .code, text, problem.message)
            case .unassignedIndustry: sink.add(.codeIndustry, .code, text, problem.message)
            case .invalidType: sink.add(.codeType, .code, text, problem.message)
            }
        }
        if code.type.category != .invalid && !code.type.isCameraRecordType {
            sink.add(.codeType, .code, text,
                     zh: "编码类型码\(code.type.value)（\(code.type.label.zh)）不是摄像机类型，摄像机应为131、132或121",
                     en: "type code \(code.type.value) (\(code.type.label.en)) is not a camera; cameras carry 131, 132 or 121")
        }
        return code
    }

    private func checkDivision(_ record: CameraRecord, code: DeviceCode?, into sink: inout FindingSink) {
        let written = record[.division].trimmedWhitespace
        guard !written.isEmpty else { return }
        guard divisions.division(code: written) != nil else {
            sink.add(.divisionUnknown, .division, written,
                     zh: "行政区划“\(written)”不是GB/T 2260代码", en: "admin division '\(written)' is not a GB/T 2260 code")
            return
        }
        // Only compare when the code's own division is real: a wrong code is one finding, not two.
        guard let code, let codeDivision = divisions.division(code: code.divisionCode) else { return }
        let agrees = codeDivision.level == .county ? codeDivision.code == written : divisions.isWithin(written, ancestor: codeDivision.code)
        if !agrees {
            sink.add(.divisionMismatch, .division, written,
                     zh: "行政区划\(written)与设备编码前6位\(codeDivision.code)（\(codeDivision.name)）不一致",
                     en: "admin division \(written) disagrees with the code's digits 1-6 (\(codeDivision.code) \(codeDivision.name))")
        }
    }

    private func checkDictionaries(_ record: CameraRecord, into sink: inout FindingSink) {
        check(PointClass.self, .pointClass, record, &sink)
        check(DepartmentCode.self, .department, record, &sink)
        check(CameraType.self, .cameraType, record, &sink)
        check(NetworkStatus.self, .networkStatus, record, &sink)
        check(InstallPlacement.self, .placement, record, &sink)
        check(Bearing.self, .bearing, record, &sink)
        check(AccessNetwork.self, .accessNetwork, record, &sink)
        check(ShareAttribute.self, .shareAttribute, record, &sink)
        check(Manufacturer.self, .manufacturer, record, &sink)
        check(VideoCodecCode.self, .codec, record, &sink)
        check(DeviceStatus.self, .deviceStatus, record, &sink)
        let system = record[.coordinateSystem]
        if !system.isEmpty && CoordinateSystem(written: system) == nil {
            sink.add(.enumValue, .coordinateSystem, system,
                     zh: "经纬度类型“\(system)”应为WGS84或CGCS2000", en: "coordinate system '\(system)' must be WGS84 or CGCS2000")
        }
        let permissions = PermissionSet.parse(record[.defaultPermissions])
        for part in permissions.invalid {
            sink.add(.enumValue, .defaultPermissions, part,
                     zh: "默认权限“\(part)”不在1-5之中（\(Permission.allowedValues(.zh))）",
                     en: "default permission '\(part)' is not 1-5 (\(Permission.allowedValues(.en)))")
        }
        for (field, allowed) in [(CameraField.leased, ["是", "否"]), (.plannedIntegration, ["保留", "拆除", "迁移"])] {
            let value = record[field].trimmedWhitespace
            if !value.isEmpty && !allowed.contains(value) {
                sink.add(.enumValue, field, value, zh: "“\(field.header.zh)”应为\(allowed.joined(separator: "/"))",
                         en: "'\(field.header.en)' must be one of \(allowed.joined(separator: "/"))")
            }
        }
        let positions = record[.positionTypes]
        for part in positions.split(whereSeparator: { ",，、".contains($0) }).map({ $0.trimmedWhitespace })
        where !Self.isPositionCode(part) {
            sink.add(.positionTypeFormat, .positionTypes, part,
                     zh: "摄像机位置类型“\(part)”不是字典代码（如A0101）", en: "position type '\(part)' is not a dictionary code like A0101")
        }
    }

    private func check<D: DirectoryDictionary>(_: D.Type, _ field: CameraField, _ record: CameraRecord, _ sink: inout FindingSink) {
        let value = record[field].trimmedWhitespace
        guard !value.isEmpty, D(code: value) == nil else { return }
        sink.add(.enumValue, field, value,
                 zh: "“\(field.header.zh)”的值“\(value)”不在字典中，可选：\(D.allowedValues(.zh))",
                 en: "'\(value)' is not a \(D.dictionaryName.en) code; allowed: \(D.allowedValues(.en))")
    }

    static func isPositionCode(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        return scalars.count == 5 && ("A"..."Z").contains(scalars[0]) && scalars.dropFirst().allSatisfy { ("0"..."9").contains($0) }
    }

    private func checkNetworkFields(_ record: CameraRecord, into sink: inout FindingSink) {
        let ip = record[.ipv4].trimmedWhitespace
        if !ip.isEmpty && !NetworkAddressFormat.isIPv4(ip) {
            sink.add(.ipv4Format, .ipv4, ip, zh: "IPv4地址“\(ip)”格式错误，应为X.X.X.X且每段0-255",
                     en: "IPv4 address '\(ip)' is not dotted decimal with parts 0-255")
        }
        let mac = record[.mac].trimmedWhitespace
        if !mac.isEmpty && !NetworkAddressFormat.isMAC(mac) {
            sink.add(.macFormat, .mac, mac, zh: "MAC地址“\(mac)”格式错误，应为xx:xx:xx:xx:xx:xx",
                     en: "MAC address '\(mac)' is not six hex pairs separated by ':'")
        }
        let platform = record[.platformCode].trimmedWhitespace
        if !platform.isEmpty {
            let parsed = try? DeviceCode(parsing: platform)
            if parsed.map({ $0.type.category != .platform }) ?? true {
                sink.add(.platformCodeFormat, .platformCode, platform,
                         zh: "平台编码“\(platform)”应为20位、类型码200-299的平台国标编码",
                         en: "platform code '\(platform)' must be a 20-digit platform code (type 200-299)")
            }
        }
    }

    private func checkPole(_ record: CameraRecord, code: DeviceCode?, into sink: inout FindingSink) {
        let pole = record[.poleNumber].trimmedWhitespace
        guard !pole.isEmpty else { return }
        let digitsOnly = pole.allSatisfy { ("0"..."9").contains($0) }
        guard digitsOnly, pole.count == 12, divisions.division(code: String(pole.prefix(6))) != nil else {
            sink.add(.poleNumber, .poleNumber, pole,
                     zh: "立杆编号“\(pole)”应为12位数字：8位行政区划编码+4位序号", en: "pole number '\(pole)' must be 12 digits: 8-digit division code + 4-digit sequence")
            return
        }
        if let code, String(pole.prefix(8)) != code.centre {
            sink.add(.polePrefixMismatch, .poleNumber, pole,
                     zh: "立杆编号前8位\(pole.prefix(8))与设备编码中心编码\(code.centre)不同",
                     en: "pole number's first 8 digits \(pole.prefix(8)) differ from the code's centre \(code.centre)")
        }
    }

    private func checkRetention(_ record: CameraRecord, into sink: inout FindingSink) {
        let text = record[.retentionDays].trimmedWhitespace
        guard !text.isEmpty else { return }
        guard let days = Int(text) else {
            sink.add(.enumValue, .retentionDays, text, zh: "录像保存天数“\(text)”不是整数", en: "retention '\(text)' is not a whole number of days")
            return
        }
        let classOne = record.pointClass == .classOne
        let minimum = classOne ? limits.minimumRetentionDaysClassOne : limits.minimumRetentionDays
        if days < minimum {
            sink.add(.retentionShort, .retentionDays, text,
                     zh: classOne ? "一类点录像保存\(days)天，少于\(minimum)天" : "录像保存\(days)天，少于\(minimum)天",
                     en: "recordings kept \(days) days, fewer than \(minimum)\(classOne ? " for a class-one site" : "")")
        } else if days > limits.unusualRetentionDays {
            sink.add(.retentionUnusual, .retentionDays, text, zh: "录像保存\(days)天，请核实", en: "retention of \(days) days is unusual")
        }
    }
}

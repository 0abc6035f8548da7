import GBCore

/// Warnings: values that are legal but unlikely, worth a clerk's second look. No normative mapping
/// between departments and industry codes exists, so only clear contradictions are flagged.
extension CameraValidator {
    func checkPlausibility(_ record: CameraRecord, code: DeviceCode?, into sink: inout FindingSink) {
        if let code, let department = record.departmentCode {
            let policeIndustry = code.industry.group == .publicSecurity || code.industry.group == .traffic
            if department == .publicSecurity && !policeIndustry {
                sink.add(.industryDepartment, .code, record.code,
                         zh: "公安部门的摄像机行业编码为\(code.industry.label.zh)，请核实",
                         en: "a public-security camera carries industry \(code.industry.label.en)")
            } else if department != .publicSecurity && code.industry.group == .publicSecurity {
                sink.add(.industryDepartment, .code, record.code,
                         zh: "\(department.label.zh)的摄像机行业编码为社会治安类（\(code.industry.label.zh)），行业编码应反映真实权属",
                         en: "a \(department.label.en) camera carries a public-security industry code (\(code.industry.label.en))")
            }
        }
        if let code, let access = AccessNetwork(code: record[.accessNetwork]), !Self.networkAgrees(code.network, access) {
            sink.add(.networkAccessMismatch, .accessNetwork, record[.accessNetwork],
                     zh: "编码第14位（\(code.network.label.zh)）与接入网络（\(access.label.zh)）不一致",
                     en: "digit 14 (\(code.network.label.en)) disagrees with the access network (\(access.label.en))")
        }
        if record.shareAttribute == .notShared && record[.remark].trimmedWhitespace.isEmpty {
            sink.add(.notSharedWithoutReason, .shareAttribute, record[.shareAttribute],
                     zh: "共享属性为不予共享，但备注未说明原因", en: "not shared, and the remark gives no reason")
        }
        let isCheckpoint = CameraType(code: record[.cameraType]) == .checkpointBullet || code?.type == .videoCheckpoint
        if isCheckpoint && !Self.isCheckpointName(record.name) {
            sink.add(.checkpointName, .name, record.name,
                     zh: "卡口名称应为“市+区县+地点+（方向）+车道N”或“…全景球机”", en: "checkpoint names end in 'lane N' (车道N) or 'panorama dome' (全景球机)")
        }
        let buildDate = record[.buildDate].trimmedWhitespace
        if !buildDate.isEmpty && !Self.isYearMonth(buildDate) {
            sink.add(.buildDateFormat, .buildDate, buildDate, zh: "建设时间“\(buildDate)”应为YYYY.MM", en: "build date '\(buildDate)' is not YYYY.MM")
        }
    }

    /// Only contradictions: the police information network (access 1, 9) should carry digit 5,
    /// the government network (5) digit 6, the Internet (4) digit 7.
    static func networkAgrees(_ network: NetworkIdentifier, _ access: AccessNetwork) -> Bool {
        switch access {
        case .policeInformation, .otherPolice: network.kind == .policeInformation || network.kind == .monitoringPrivate
        case .government: network.kind == .government || network.kind == .monitoringPrivate
        case .internet: network.kind == .internet || network.kind == .socialResourceAccess || network.kind == .monitoringPrivate
        default: true
        }
    }

    static func isCheckpointName(_ name: String) -> Bool {
        if name.hasSuffix("全景球机") { return true }
        guard let range = name.range(of: "车道", options: .backwards) else { return false }
        let rest = name[range.upperBound...]
        return !rest.isEmpty && rest.allSatisfy { ("0"..."9").contains($0) }
    }

    static func isYearMonth(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]) else { return false }
        return (1980...2100).contains(year) && (1...12).contains(month)
    }
}

import Foundation

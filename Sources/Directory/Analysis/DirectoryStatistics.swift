import FluentKit
import Foundation
import GBCore
import SQLKit

/// The plan's statistics (004 section 7.1, Appendix 2 shape) for one slice of the directory.
public struct StatisticsBucket: Sendable, Codable, Hashable {
    public var key: String
    public var label: String
    /// Records not removed.
    public var filed = 0
    /// Records whose network status the platform knows (1 online or 2 offline): connected to it.
    public var connected = 0
    public var online = 0
    public var offline = 0
    public var removed = 0
    public var classOne = 0
    public var classTwo = 0
    public var classThree = 0
    public var withErrors = 0
    public var shareAttributes: [String: Int] = [:]
    public var codecs: [String: Int] = [:]

    public var onlineRate: Double { connected == 0 ? 0 : Double(online) / Double(connected) }
    public var connectedRate: Double { filed == 0 ? 0 : Double(connected) / Double(filed) }
    /// Shared (conditional or unconditional) / connected, as the plan defines the share rate.
    public var shareRate: Double {
        connected == 0 ? 0 : Double((shareAttributes["0"] ?? 0) + (shareAttributes["1"] ?? 0)) / Double(connected)
    }
    public var h265Ratio: Double { filed == 0 ? 0 : Double(codecs["4"] ?? 0) / Double(filed) }

    init(key: String, label: String) {
        self.key = key
        self.label = label
    }

    mutating func add(_ row: StatisticsRow) {
        guard row.device_status != DeviceStatus.removed.rawValue else {
            removed += row.n
            return
        }
        filed += row.n
        if row.network_status == NetworkStatus.online.rawValue { online += row.n; connected += row.n }
        if row.network_status == NetworkStatus.offline.rawValue { offline += row.n; connected += row.n }
        switch PointClass(code: row.point_class) {
        case .classOne: classOne += row.n
        case .classTwo: classTwo += row.n
        case .classThree: classThree += row.n
        default: break
        }
        if row.has_errors != 0 { withErrors += row.n }
        shareAttributes[row.share_attribute, default: 0] += row.n
        codecs[row.codec, default: 0] += row.n
    }
}

public struct DirectoryStatistics: Sendable, Codable {
    public var total: StatisticsBucket
    public var byDepartment: [StatisticsBucket]
    public var byCounty: [StatisticsBucket]
    public var byCity: [StatisticsBucket]
    public var byPointClass: [StatisticsBucket]
}

struct StatisticsRow: Decodable {
    let department: String, division: String, point_class: String, network_status: String
    let device_status: String, share_attribute: String, codec: String, has_errors: Int, n: Int
}

extension CameraStore {
    /// One GROUP BY over the small-cardinality columns, folded into every breakdown: 100,000
    /// cameras become a few thousand grouped rows, so this stays fast on either database.
    public func statistics(divisionPrefix: String? = nil, divisions: DivisionTable = .standard) async throws -> DirectoryStatistics {
        let hasErrors = SQLRaw("CASE WHEN error_count > 0 THEN 1 ELSE 0 END")
        var select = try database.sql().select()
            .columns("department", "division", "point_class", "network_status", "device_status", "share_attribute", "codec")
            .column(hasErrors, as: "has_errors")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("cameras")
        if let prefix = divisionPrefix, !prefix.isEmpty {
            select = select.where("division", .like, SQLBind(DivisionPrefix.normalise(prefix) + "%"))
        }
        let rows = try await select.groupBy("department").groupBy("division").groupBy("point_class").groupBy("network_status")
            .groupBy("device_status").groupBy("share_attribute").groupBy("codec").groupBy(hasErrors)
            .all(decoding: StatisticsRow.self)
        var total = StatisticsBucket(key: "all", label: "全部")
        var departments: [String: StatisticsBucket] = [:]
        var counties: [String: StatisticsBucket] = [:]
        var cities: [String: StatisticsBucket] = [:]
        var classes: [String: StatisticsBucket] = [:]
        for row in rows {
            total.add(row)
            let department = DepartmentCode(code: row.department)
            departments[department?.rawValue ?? row.department, default: StatisticsBucket(
                key: department?.rawValue ?? row.department, label: department?.label.zh ?? "未知（\(row.department)）")].add(row)
            let county = divisions.division(code: row.division)
            counties[row.division, default: StatisticsBucket(key: row.division, label: county?.name ?? "未知（\(row.division)）")].add(row)
            let city = divisions.chain(code: row.division).first { $0.level == .city }
            let cityKey = city?.code ?? "unknown"
            cities[cityKey, default: StatisticsBucket(key: cityKey, label: city?.name ?? "未知")].add(row)
            let pointClass = PointClass(code: row.point_class)
            classes[pointClass?.rawValue ?? row.point_class, default: StatisticsBucket(
                key: pointClass?.rawValue ?? row.point_class, label: pointClass?.label.zh ?? "未知")].add(row)
        }
        func sorted(_ buckets: [String: StatisticsBucket]) -> [StatisticsBucket] { buckets.values.sorted { $0.key < $1.key } }
        return DirectoryStatistics(total: total, byDepartment: sorted(departments), byCounty: sorted(counties),
                                   byCity: sorted(cities), byPointClass: sorted(classes))
    }
}

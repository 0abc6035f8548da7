import GBCore

/// A camera as the duplicate-construction check sees it.
public struct DuplicateCandidate: Sendable, Hashable {
    public var id: Int
    public var code: String
    public var name: String
    public var department: String
    public var bearing: Bearing?
    public var point: GeoPoint
    public var errorCount: Int
    public var pointClass: PointClass?

    public init(id: Int, code: String, name: String, department: String, bearing: Bearing?, point: GeoPoint,
                errorCount: Int, pointClass: PointClass?) {
        self.id = id
        self.code = code
        self.name = name
        self.department = department
        self.bearing = bearing
        self.point = point
        self.errorCount = errorCount
        self.pointClass = pointClass
    }
}

/// A group of cameras that repeat each other's scene (重复建设), with a plan for each.
public struct DuplicateGroup: Sendable, Codable, Hashable {
    public struct Pair: Sendable, Codable, Hashable {
        public var codeA: String
        public var codeB: String
        public var distanceMetres: Double
    }

    public enum Action: String, Sendable, Codable {
        case keep
        case relocate
        case remove
    }

    public struct Plan: Sendable, Codable, Hashable {
        public var code: String
        public var department: String
        public var action: Action
        public var reason: LocalizedText
    }

    public var number: Int
    public var pairs: [Pair]
    public var plan: [Plan]
    public var crossDepartment: Bool
}

/// Finds groups of cameras within `radius` metres of each other that look the same way (or whose
/// bearing is unknown), with a uniform grid so 100,000 cameras cost about what their neighbours cost,
/// not 5 billion pair checks.
public struct DuplicateFinder: Sendable {
    public var radiusMetres: Double

    public init(radiusMetres: Double = 30) {
        self.radiusMetres = radiusMetres
    }

    private struct Cell: Hashable { let x: Int; let y: Int }

    public func groups(_ cameras: [DuplicateCandidate]) -> [DuplicateGroup] {
        guard !cameras.isEmpty, radiusMetres > 0 else { return [] }
        let metresPerDegree = 111_320.0
        // Longitude degrees shrink with latitude: size cells for the highest latitude present so a
        // neighbour within the radius is always in an adjacent cell.
        let maxLatitude = cameras.map { abs($0.point.latitude) }.max() ?? 0
        let cellLat = radiusMetres / metresPerDegree
        let cellLon = radiusMetres / (metresPerDegree * max(0.01, cos(min(maxLatitude, 89) * .pi / 180)))
        var grid: [Cell: [Int]] = [:]
        for (index, camera) in cameras.enumerated() {
            grid[Cell(x: Int((camera.point.longitude / cellLon).rounded(.down)), y: Int((camera.point.latitude / cellLat).rounded(.down))), default: []].append(index)
        }
        var links = UnionFind(count: cameras.count)
        var pairs: [(Int, Int, Double)] = []
        for (cell, members) in grid {
            for dx in -1...1 {
                for dy in -1...1 {
                    guard let neighbours = grid[Cell(x: cell.x + dx, y: cell.y + dy)] else { continue }
                    for a in members {
                        for b in neighbours where a < b {
                            let distance = cameras[a].point.distance(to: cameras[b].point)
                            if distance <= radiusMetres && Self.faceSameWay(cameras[a].bearing, cameras[b].bearing) {
                                links.union(a, b)
                                pairs.append((a, b, distance))
                            }
                        }
                    }
                }
            }
        }
        var byRoot: [Int: [(Int, Int, Double)]] = [:]
        for pair in pairs { byRoot[links.find(pair.0), default: []].append(pair) }
        let groups = byRoot.values.map { groupPairs -> DuplicateGroup in
            let members = Set(groupPairs.flatMap { [$0.0, $0.1] }).map { cameras[$0] }
            return DuplicateGroup(
                number: 0,
                pairs: groupPairs.map { DuplicateGroup.Pair(codeA: cameras[$0.0].code, codeB: cameras[$0.1].code, distanceMetres: $0.2) }
                    .sorted { ($0.codeA, $0.codeB) < ($1.codeA, $1.codeB) },
                plan: Self.plan(members),
                crossDepartment: Set(members.map(\.department)).count > 1)
        }
        return groups.sorted { ($0.pairs.first?.codeA ?? "") < ($1.pairs.first?.codeA ?? "") }
            .enumerated().map { var group = $0.element; group.number = $0.offset + 1; return group }
    }

    static func faceSameWay(_ a: Bearing?, _ b: Bearing?) -> Bool {
        guard let a, let b, a.isKnownDirection, b.isKnownDirection else { return true }
        return a == b
    }

    /// Keep the camera with the better record (no errors, class one, filed first); the others are
    /// removed when their department already has the kept one (一机多用), relocated to cover a new
    /// spot when another department built them (以迁代拆: moving an asset beats tearing it down).
    static func plan(_ members: [DuplicateCandidate]) -> [DuplicateGroup.Plan] {
        let ranked = members.sorted {
            ($0.errorCount, $0.pointClass == .classOne ? 0 : 1, $0.id) < ($1.errorCount, $1.pointClass == .classOne ? 0 : 1, $1.id)
        }
        guard let kept = ranked.first else { return [] }
        var plan = [DuplicateGroup.Plan(code: kept.code, department: kept.department, action: .keep, reason: LocalizedText(
            zh: "档案最完整，保留并向组内其他部门共享（一机多用）", en: "best record: keep and share it with the group's other departments"))]
        for other in ranked.dropFirst() {
            if other.department == kept.department {
                plan.append(.init(code: other.code, department: other.department, action: .remove, reason: LocalizedText(
                    zh: "与\(kept.code)同部门同场景，建议拆除", en: "same department and scene as \(kept.code): remove")))
            } else {
                plan.append(.init(code: other.code, department: other.department, action: .relocate, reason: LocalizedText(
                    zh: "与\(kept.code)场景重复，建议迁移至未覆盖区域（以迁代拆），本部门通过共享使用\(kept.code)",
                    en: "repeats \(kept.code): relocate to an uncovered spot and use \(kept.code) through sharing")))
            }
        }
        return plan
    }
}

/// Disjoint sets with path halving, for grouping linked pairs.
struct UnionFind {
    private var parent: [Int]

    init(count: Int) { parent = Array(0..<count) }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    mutating func union(_ a: Int, _ b: Int) {
        let (ra, rb) = (find(a), find(b))
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }
}

import Foundation

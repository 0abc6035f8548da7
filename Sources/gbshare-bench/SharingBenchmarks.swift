import App
import ArgumentParser
import Directory
import Foundation
import GBCore
import Sharing

/// `gbshare-bench authorize`: permission decisions per second and their latency with a city's
/// worth of cameras, departments and grants (goal: p99 under 1 ms, so a decision never slows a
/// play), and the audit log's append rate with the hash chain (goal: 5,000 entries/s on SQLite).
struct AuthorizeBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "authorize",
                                                    abstract: "authorize() decisions/s and p50/p99; audit append rate (SQLite, PostgreSQL).")

    @Option(name: .long, help: "Cameras in the directory.") var cameras = 100_000
    @Option(name: .long, help: "Departments (code × division) holding grants and users.") var departments = 500
    @Option(name: .long, help: "Grants (1-20 cameras each).") var grants = 10_000
    @Option(name: .long, help: "Decisions to time.") var decisions = 1_000_000
    @Option(name: .long, help: "Audit entries to append per run.") var entries = 20_000
    @Option(name: .long, help: "PostgreSQL URL, 'auto' (scripts/start-test-postgres) or 'none'.") var postgres = "auto"

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gbshare-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("directory.csv")
        try SyntheticDirectory.write(rows: cameras, to: file)
        var config = GBShareConfig()
        config.dataDirectory = folder.appendingPathComponent("data").path
        print("authorize: \(cameras) cameras, \(departments) departments, \(grants) grants (SQLite \(config.sqlitePath))")
        try await GBShareApplication.withApplication(config: config) { app in
            let imported = try await BenchClock.seconds {
                _ = try await DirectoryImporter(database: app.db).apply(url: file, context: ChangeContext(actor: "bench", source: "bench"))
            }
            let facts = try await CameraFactsLoader(database: app.db).all()
            print(String(format: "  directory: %d cameras imported in %.1f s", facts.count, imported))
            var random = SplitMix(seed: 20261121)
            let departmentList = Self.departments(departments, random: &random)
            let grantList = Self.grants(grants, cameras: facts, departments: departmentList, random: &random)
            let stored = try await BenchClock.seconds { try await GrantStore(database: app.db).insert(grantList) }
            let loaded = try await BenchClock.seconds { try await app.sharing.reloadGrantIndex() }
            print(String(format: "  grants: %d stored in %.2f s (%d camera rows), index loaded in %.2f s",
                         grantList.count, stored, grantList.reduce(0) { $0 + $1.cameras.count }, loaded))
            try await measureDecisions(app.sharing, facts: facts, departments: departmentList, grants: grantList, random: &random)
            try await measureDatabasePath(app.sharing, facts: facts, departments: departmentList, random: &random)
            try await measureAudit(label: "SQLite", app.sharing)
        }
        if let base = BenchPostgres.url(option: postgres) {
            var pg = GBShareConfig()
            pg.dataDirectory = folder.appendingPathComponent("pg").path
            pg.databaseURL = try BenchPostgres.freshDatabase(baseURL: base, name: "gbshare_bench_audit")
            try await GBShareApplication.withApplication(config: pg) { app in try await measureAudit(label: "PostgreSQL", app.sharing) }
        } else {
            print("  PostgreSQL: not measured (no server)")
        }
    }

    /// The pure decision, as media calls it with the camera's facts in hand.
    func measureDecisions(_ sharing: SharingService, facts: [CameraFacts], departments: [DepartmentRef], grants: [Grant],
                          random: inout SplitMix) async throws {
        let principals = (0..<2000).map { index in
            let department = departments[random.next(departments.count)]
            return Principal(id: UUID(), username: "u\(index)", role: [.departmentOperator, .departmentAdmin, .systemAccount][index % 3],
                             departmentCode: department.code, divisionScope: department.division)
        }
        // Half the asks are for granted cameras by the grantee (the common case of a play), half random.
        let granted = grants.flatMap { grant in grant.cameras.map { (grant.grantee, $0.code) } }
        let byCode = Dictionary(facts.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        let context = AccessContext(purpose: "bench")
        var latencies = [Double]()
        latencies.reserveCapacity(decisions)
        var allowed = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for index in 0..<decisions {
            let principal: Principal
            let camera: CameraFacts
            if index % 2 == 0, let pick = granted.isEmpty ? nil : granted[random.next(granted.count)], let found = byCode[pick.1] {
                principal = Principal(id: UUID(), username: "g", role: .departmentOperator, departmentCode: pick.0.code, divisionScope: pick.0.division)
                camera = found
            } else {
                principal = principals[random.next(principals.count)]
                camera = facts[random.next(facts.count)]
            }
            let action = AccessAction.mediaActions[index % AccessAction.mediaActions.count]
            let t0 = DispatchTime.now().uptimeNanoseconds
            let decision = sharing.authorize(principal, action, camera: camera, context: context)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
            if decision.allowed { allowed += 1 }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "  authorize (in memory): %d decisions in %.2f s = %.0f/s; p50 %.2f µs, p99 %.2f µs, max %.0f µs; %d allowed",
                     decisions, seconds, Double(decisions) / seconds, Percentile.of(latencies, 0.5), Percentile.of(latencies, 0.99),
                     latencies.max() ?? 0, allowed))
    }

    /// The whole check a play makes when it has only the camera code: read the camera, decide.
    func measureDatabasePath(_ sharing: SharingService, facts: [CameraFacts], departments: [DepartmentRef], random: inout SplitMix) async throws {
        let count = 10_000
        var latencies = [Double]()
        let start = DispatchTime.now().uptimeNanoseconds
        for index in 0..<count {
            let department = departments[random.next(departments.count)]
            let principal = Principal(id: UUID(), username: "u", role: .departmentOperator, departmentCode: department.code, divisionScope: department.division)
            let code = facts[random.next(facts.count)].code
            let t0 = DispatchTime.now().uptimeNanoseconds
            guard let camera = try await sharing.camera(code: code) else { continue }
            _ = sharing.authorize(principal, AccessAction.mediaActions[index % 5], camera: camera, context: AccessContext(purpose: "bench"))
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "  camera read + authorize (SQLite): %d in %.2f s = %.0f/s; p50 %.3f ms, p99 %.3f ms",
                     latencies.count, seconds, Double(latencies.count) / seconds, Percentile.of(latencies, 0.5), Percentile.of(latencies, 0.99)))
    }

    func measureAudit(label: String, _ sharing: SharingService) async throws {
        let sequentialCount = min(entries, 5000)
        let sequential = try await BenchClock.seconds {
            for index in 0..<sequentialCount { try await sharing.audit.append(Self.draft(index)) }
        }
        let workers = 50
        let perWorker = max(1, entries / workers)
        let concurrent = try await BenchClock.seconds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<workers {
                    group.addTask { for index in 0..<perWorker { try await sharing.audit.append(Self.draft(worker * perWorker + index)) } }
                }
                try await group.waitForAll()
            }
        }
        var result: AuditVerification?
        let verify = try await BenchClock.seconds { result = try await AuditVerifier(database: sharing.database, anchors: sharing.anchors).verify() }
        print(String(format: "  audit %@: one writer %.0f entries/s; %d concurrent writers %.0f entries/s; verify %d entries in %.2f s (%.0f/s), %@",
                     label, Double(sequentialCount) / sequential, workers, Double(workers * perWorker) / concurrent,
                     result?.checked ?? 0, verify, Double(result?.checked ?? 0) / verify, result?.intact == true ? "intact" : "BROKEN"))
    }

    static func draft(_ index: Int) -> AuditDraft {
        AuditDraft(actor: "user\(index % 1000)", actorRole: "department_operator", department: "19@4415", action: .viewStart,
                   camera: String(format: "441523095813200%05d", index % 100_000), grantID: UUID().uuidString, purpose: "日常巡查",
                   clientAddress: "10.1.\(index % 250).\(index % 200)", result: .ok, detail: "action=live reason=active_grant")
    }

    static func departments(_ count: Int, random: inout SplitMix) -> [DepartmentRef] {
        let codes = DepartmentCode.allCases.map(\.rawValue)
        let divisions = ["4415", "441502", "441521", "441523", "441581"] + DivisionTable.standard.children(of: "440000").map(\.code)
        var result: [DepartmentRef] = []
        var seen: Set<DepartmentRef> = []
        while result.count < count {
            let department = DepartmentRef(code: codes[random.next(codes.count)], division: divisions[random.next(divisions.count)])
            if seen.insert(department).inserted { result.append(department) }
            if seen.count >= codes.count * divisions.count { break }
        }
        return result
    }

    static func grants(_ count: Int, cameras: [CameraFacts], departments: [DepartmentRef], random: inout SplitMix) -> [Grant] {
        let now = Date()
        return (0..<count).map { index in
            let size = 1 + random.next(20)
            let codes = Set((0..<size).map { _ in cameras[random.next(cameras.count)].code })
            let permissions = PermissionSet([.live, .playback] + (index % 3 == 0 ? [Permission.download] : []))
            let state = random.next(10)
            return Grant(requestID: nil, grantee: departments[random.next(departments.count)],
                         cameras: codes.map { Grant.Camera(code: $0, permissions: permissions) }, purpose: "bench",
                         validFrom: now.addingTimeInterval(-86_400), validUntil: now.addingTimeInterval(state == 0 ? -3600 : 30 * 86_400),
                         createdBy: "bench", revokedAt: state == 1 ? now.addingTimeInterval(-60) : nil)
        }
    }
}

/// A small seeded generator: the same city every run.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(max(1, bound)))
    }
}

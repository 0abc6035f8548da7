import Directory
import Foundation
import GBCore
import Sharing
import Synchronization
import Testing

/// Requests, reviews, grants, expiry and revocation, end to end on a real database.
@Suite struct ShareWorkflowTests {
    static let health = Fixtures.principal("health-op", .departmentOperator, department: "19")
    /// A view states its purpose: the policy asks one for live, playback and download (002 第十四条七).
    static let onDuty = AccessContext(purpose: "巡查")
    static let healthAdmin = Fixtures.principal("health-admin", .departmentAdmin, department: "19")
    static let police = Fixtures.principal("police-reviewer", .policeReviewer, department: "06")
    static let bureau = Fixtures.principal("bureau-reviewer", .dataBureauReviewer, department: "29")
    static let transportAdmin = Fixtures.principal("transport-admin", .departmentAdmin, department: "14")

    /// Police cameras: three class-one (conditional), one class-two; a transport camera of each share attribute.
    static func seed(_ db: SharingTestDatabase) async throws -> (classOne: [String], classTwo: String, transport: [ShareAttribute: String]) {
        let store = CameraStore(database: db.database)
        var classOne: [String] = []
        for serial in 1...3 {
            let camera = try await Fixtures.file(Fixtures.record(serial: serial, department: "06", pointClass: "1"), in: store)
            #expect(camera.errorCount == 0, "\(camera.findings.map { "\($0.rule) \($0.value) \($0.message.en)" })")
            classOne.append(camera.record.code)
        }
        let classTwo = try await Fixtures.file(Fixtures.record(serial: 4, department: "06", pointClass: "2"), in: store).record.code
        var transport: [ShareAttribute: String] = [:]
        for (offset, attribute) in ShareAttribute.allCases.enumerated() {
            transport[attribute] = try await Fixtures.file(Fixtures.record(serial: 10 + offset, department: "14", share: attribute), in: store).record.code
        }
        return (classOne, classTwo, transport)
    }

    static func service(_ db: SharingTestDatabase) -> SharingService {
        SharingService(database: db.database, anchors: AuditAnchorFile(path: db.folder.appendingPathComponent("anchors.log").path))
    }

    /// Grants to an upper platform (the province): a department administrator shares its own camera with
    /// PTZ, not another department's; the upper then sees it and may move it; the grant is listed for the
    /// bureau, not for an operator; revoking it takes both away again.
    @Test(arguments: SharingTestDatabase.Kind.allCases)
    func grantsToAnUpperPlatform(kind: SharingTestDatabase.Kind) async throws {
        try await SharingTestDatabase.with(kind) { db in
            let seeded = try await Self.seed(db)
            let sharing = Self.service(db)
            try await sharing.start()
            let upperID = "44000000002000000001"
            let upper = Principal.upperPlatform(upperID)
            let now = Date()
            let own = try #require(seeded.transport[.conditional])
            let context = AccessContext(now: now, purpose: "省级指挥调度")
            await #expect(throws: ShareRequestError.self, "another department's camera") {
                _ = try await sharing.grantToUpperPlatform(Self.transportAdmin, upperID: upperID, cameras: [own, seeded.classOne[0]],
                                                           permissions: PermissionSet([.live, .ptz]), validUntil: now.addingTimeInterval(Fixtures.day),
                                                           purpose: "省级指挥调度", now: now)
            }
            let ownFacts = try #require(try await sharing.camera(code: own))
            #expect(!sharing.upperPlatformSees(ownFacts, upperID: upperID, now: now), "the refused grant issued nothing")
            await #expect(throws: ShareRequestError.self, "a grant states its purpose") {
                _ = try await sharing.grantToUpperPlatform(Self.transportAdmin, upperID: upperID, cameras: [own], permissions: PermissionSet([.ptz]),
                                                           validUntil: now.addingTimeInterval(Fixtures.day), purpose: " ", now: now)
            }
            let grant = try await sharing.grantToUpperPlatform(Self.transportAdmin, upperID: upperID, cameras: [own],
                                                               permissions: PermissionSet([.live, .ptz]), validUntil: now.addingTimeInterval(Fixtures.day),
                                                               purpose: "省级指挥调度", clientAddress: "10.2.2.2", now: now)
            #expect(grant.grantee == upper.department)
            #expect(sharing.upperPlatformSees(ownFacts, upperID: upperID, now: now))
            #expect(sharing.authorize(upper, .ptz, camera: ownFacts, context: context).reason == .activeGrant)
            #expect(try await sharing.upperPlatformGrants(Self.bureau, upperID: upperID).map(\.id) == [grant.id])
            await #expect(throws: ShareRequestError.self) { _ = try await sharing.upperPlatformGrants(Self.health, upperID: upperID) }
            _ = try await sharing.revoke(Self.transportAdmin, grantID: grant.id, reason: "演练结束", now: now)
            #expect(!sharing.upperPlatformSees(ownFacts, upperID: upperID, now: now))
            #expect(sharing.authorize(upper, .ptz, camera: ownFacts, context: context).reason == .grantRevoked)
        }
    }

    /// Who may withdraw a pending request is the authorizer's decision, and the view says it to the
    /// console: the requester and its department's administrator may; a colleague operator of the
    /// same department and the owner's reviewer may not, and a refused withdrawal changes nothing.
    @Test func withdrawingIsDecidedByTheAuthorizerAndShownInTheView() async throws {
        try await SharingTestDatabase.with(.sqlite) { db in
            _ = try await Self.seed(db)
            let sharing = Self.service(db)
            try await sharing.start()
            let now = Date()
            let draft = ShareRequestDraft(selection: CameraSelection(query: SelectionQuery(department: "06", pointClass: "1")),
                                          permissions: PermissionSet([.live]), purpose: "防汛值守", validFrom: now,
                                          validUntil: now.addingTimeInterval(Fixtures.hour))
            let submitted = try await sharing.submit(Self.health, draft, now: now)
            let colleague = Fixtures.principal("health-op-2", .departmentOperator, department: "19")
            #expect(try await sharing.request(Self.health, id: submitted.request.id).mayWithdraw == true)
            #expect(try await sharing.request(Self.healthAdmin, id: submitted.request.id).mayWithdraw == true)
            #expect(try await sharing.request(colleague, id: submitted.request.id).mayWithdraw == false)
            #expect(try await sharing.request(Self.police, id: submitted.request.id).mayWithdraw == false)
            await #expect(throws: ShareRequestError.self) { _ = try await sharing.withdraw(colleague, requestID: submitted.request.id) }
            let withdrawn = try await sharing.withdraw(Self.healthAdmin, requestID: submitted.request.id)
            #expect(withdrawn.request.status == .withdrawn)
            #expect(try await sharing.request(Self.health, id: submitted.request.id).mayWithdraw == false, "nothing left to withdraw")
        }
    }

    @Test(arguments: SharingTestDatabase.Kind.allCases)
    func policeCamerasForHealthUntilTheGrantExpires(kind: SharingTestDatabase.Kind) async throws {
        try await SharingTestDatabase.with(kind) { db in
            let seeded = try await Self.seed(db)
            let sharing = Self.service(db)
            try await sharing.start()
            let now = Date()
            let draft = ShareRequestDraft(selection: CameraSelection(query: SelectionQuery(department: "06", pointClass: "1")),
                                          permissions: PermissionSet([.live, .playback]), purpose: "防汛值守", validFrom: now.addingTimeInterval(-60),
                                          validUntil: now.addingTimeInterval(Fixtures.hour))
            let submitted = try await sharing.submit(Self.health, draft, clientAddress: "10.1.1.1", now: now)
            #expect(submitted.request.status == .pending)
            #expect(Set(submitted.request.cameras) == Set(seeded.classOne))
            #expect(submitted.cameras.allSatisfy { $0.waitingFor == .owner })
            // The police answer as owner (and that is also the police review); then the data bureau.
            let afterPolice = try await sharing.review(Self.police, requestID: submitted.request.id, decision: .approve, now: now)
            #expect(afterPolice.cameras.allSatisfy { $0.waitingFor == .dataBureau })
            let done = try await sharing.review(Self.bureau, requestID: submitted.request.id, decision: .approve, now: now)
            #expect(done.request.status == .approved)
            let grantID = try #require(done.grantIDs.first)

            for code in seeded.classOne {
                let camera = try #require(try await sharing.camera(code: code))
                let decision = sharing.authorize(Self.health, .live, camera: camera, context: Self.onDuty)
                #expect(decision.reason == .activeGrant && decision.grantID == grantID)
                #expect(sharing.authorize(Self.health, .ptz, camera: camera).reason == .permissionNotGranted)
            }
            let other = try #require(try await sharing.camera(code: seeded.classTwo))
            #expect(sharing.authorize(Self.health, .live, camera: other, context: Self.onDuty).reason == .noGrant)

            // A running view is cut when the grant runs out.
            let cut = Mutex<AccessDecision?>(nil)
            let events = sharing.grantEvents.subscribe()
            let ticket = try await sharing.beginView(Self.health, cameraCode: seeded.classOne[0], context: AccessContext(purpose: "巡查", clientAddress: "10.1.1.1"),
                                                     onEnd: { decision in cut.withLock { $0 = decision } })
            #expect(ticket.session.grantID == grantID)
            #expect(ticket.watermark.user == "health-op")
            let expired = try await sharing.sweepExpiredGrants(now: now.addingTimeInterval(Fixtures.hour + 1))
            #expect(expired.map(\.id) == [grantID])
            #expect(cut.withLock { $0 }?.reason == .grantExpired)
            #expect(sharing.sessions.sessions.isEmpty)
            var iterator = events.makeAsyncIterator()
            let event = await iterator.next()
            #expect(event?.grantID == grantID && event?.cause == .expired)
            let camera = try #require(try await sharing.camera(code: seeded.classOne[0]))
            #expect(sharing.authorize(Self.health, .live, camera: camera, context: AccessContext(now: now.addingTimeInterval(Fixtures.hour + 1))).reason == .grantExpired)
            // Swept once only.
            #expect(try await sharing.sweepExpiredGrants(now: now.addingTimeInterval(Fixtures.hour + 2)).isEmpty)

            let actions = try await AuditReader(database: db.database).page(AuditQuery()).entries.map(\.draft.action)
            for action: AuditAction in [.shareRequest, .shareApprove, .grantIssued, .viewStart, .grantExpired, .streamCut] {
                #expect(actions.contains(action), "\(action) not audited")
            }
            let verification = try await AuditVerifier(database: db.database, anchors: sharing.anchors).verify()
            #expect(verification.intact)
            await sharing.shutdown()
        }
    }

    @Test func unconditionalIsGrantedAtOnceForDefaultsOnly() async throws {
        try await SharingTestDatabase.with(.sqlite) { db in
            let seeded = try await Self.seed(db)
            let sharing = Self.service(db)
            let now = Date()
            let view = try await sharing.submit(Self.health, ShareRequestDraft(
                selection: CameraSelection(codes: [seeded.transport[.unconditional]!]), permissions: PermissionSet([.live, .ptz]),
                purpose: "网格巡查", validFrom: now, validUntil: now.addingTimeInterval(Fixtures.day)), now: now)
            #expect(view.request.status == .approved)
            #expect(view.cameras[0].permissions == PermissionSet([.live]))
            let grant = try await sharing.grant(Self.health, id: try #require(view.grantIDs.first))
            #expect(grant.cameras.map(\.permissions) == [PermissionSet([.live])])
        }
    }

    @Test func partialApprovalAndNotSharedOrder() async throws {
        try await SharingTestDatabase.with(.sqlite) { db in
            let seeded = try await Self.seed(db)
            let sharing = Self.service(db)
            let now = Date()
            let codes = [seeded.transport[.conditional]!, seeded.transport[.notShared]!]
            let submitted = try await sharing.submit(Self.health, ShareRequestDraft(
                selection: CameraSelection(codes: codes), permissions: PermissionSet([.live, .playback, .download]),
                purpose: "应急", validFrom: now, validUntil: now.addingTimeInterval(Fixtures.day)), now: now)
            let waiting = Dictionary(uniqueKeysWithValues: submitted.cameras.map { ($0.code, $0.waitingFor) })
            #expect(waiting[codes[0]] == .owner)
            #expect(waiting[codes[1]] == .dataBureau)
            // The owner answers for the conditional camera only, with fewer permissions.
            let owner = try await sharing.review(Self.transportAdmin, requestID: submitted.request.id, decision: .approve,
                                                 permissions: PermissionSet([.live]), now: now)
            #expect(owner.request.reviews.map(\.cameras) == [[codes[0]]])
            _ = try await sharing.review(Self.bureau, requestID: submitted.request.id, decision: .approve, now: now)
            _ = try await sharing.review(Self.police, requestID: submitted.request.id, decision: .approve, now: now)
            // Not shared: after the data bureau, the owner; the owner refuses it.
            let refused = try await sharing.review(Self.transportAdmin, requestID: submitted.request.id, decision: .reject, comment: "涉密", now: now)
            #expect(refused.request.status == .partial)
            let states = Dictionary(uniqueKeysWithValues: refused.cameras.map { ($0.code, $0) })
            #expect(states[codes[0]]?.state == .granted && states[codes[0]]?.permissions == PermissionSet([.live]))
            #expect(states[codes[1]]?.state == .refused)
        }
    }

    @Test func bypassAttemptsAreRefusedAndAudited() async throws {
        try await SharingTestDatabase.with(.sqlite) { db in
            let seeded = try await Self.seed(db)
            let sharing = Self.service(db)
            let now = Date()
            let submitted = try await sharing.submit(Self.healthAdmin, ShareRequestDraft(
                selection: CameraSelection(codes: [seeded.transport[.conditional]!]), permissions: PermissionSet([.live]),
                purpose: "检查", validFrom: now, validUntil: now.addingTimeInterval(Fixtures.day)), now: now)
            // Its own request: refused.
            await #expect(throws: ShareRequestError.self) {
                try await sharing.review(Self.healthAdmin, requestID: submitted.request.id, decision: .approve, now: now)
            }
            // Another department's administrator approving for transport: refused.
            let education = Fixtures.principal("edu-admin", .departmentAdmin, department: "03")
            await #expect(throws: ShareRequestError.self) {
                try await sharing.review(education, requestID: submitted.request.id, decision: .approve, now: now)
            }
            // An operator cannot review at all.
            await #expect(throws: ShareRequestError.self) {
                try await sharing.review(Self.health, requestID: submitted.request.id, decision: .approve, now: now)
            }
            // A guessed grant id is refused too.
            let guessed = Grant(requestID: nil, grantee: DepartmentRef(code: "24", division: "4415"), cameras: [], purpose: "x",
                                validFrom: now, validUntil: now.addingTimeInterval(60), createdBy: "t")
            try await sharing.issue(guessed, by: Self.bureau)
            await #expect(throws: ShareRequestError.self) { try await sharing.grant(Self.health, id: guessed.id) }
            var query = AuditQuery()
            query.result = .denied
            let denied = try await AuditReader(database: db.database).page(query).entries
            #expect(denied.count == 4)
            #expect(Set(denied.map(\.draft.actor)) == ["health-admin", "edu-admin", "health-op"])
        }
    }

    @Test func overdueRequestsEscalateToTheDataBureau() async throws {
        try await SharingTestDatabase.with(.sqlite) { db in
            let seeded = try await Self.seed(db)
            let sharing = Self.service(db)
            let monday = Date(timeIntervalSince1970: 1_794_787_200)  // 2026-11-16 08:00 Beijing, a Monday
            let submitted = try await sharing.submit(Self.health, ShareRequestDraft(
                selection: CameraSelection(codes: [seeded.transport[.conditional]!]), permissions: PermissionSet([.live]),
                purpose: "检查", validFrom: monday, validUntil: monday.addingTimeInterval(30 * Fixtures.day)), now: monday)
            #expect(submitted.request.deadline == monday.addingTimeInterval(7 * Fixtures.day))
            // Before the deadline the data bureau cannot answer for the owner.
            await #expect(throws: ShareRequestError.self) {
                try await sharing.review(Self.bureau, requestID: submitted.request.id, decision: .approve, now: monday.addingTimeInterval(Fixtures.day))
            }
            let late = monday.addingTimeInterval(8 * Fixtures.day)
            #expect(try await sharing.escalateOverdueRequests(now: late) == 1)
            let view = try await sharing.request(Self.bureau, id: submitted.request.id, now: late)
            #expect(view.overdue && view.request.escalatedAt != nil)
            let answered = try await sharing.review(Self.bureau, requestID: submitted.request.id, decision: .approve, now: late)
            #expect(answered.cameras[0].waitingFor == .dataBureau)
        }
    }

    @Test func revocationCutsRunningViewsAtOnce() async throws {
        try await SharingTestDatabase.with(.sqlite) { db in
            let seeded = try await Self.seed(db)
            let sharing = Self.service(db)
            let now = Date()
            let code = seeded.transport[.conditional]!
            let grant = Grant(requestID: nil, grantee: Self.health.department, cameras: [Grant.Camera(code: code, permissions: PermissionSet([.live, .playback, .download]))],
                              purpose: "协调", validFrom: now.addingTimeInterval(-60), validUntil: now.addingTimeInterval(Fixtures.day), createdBy: "bureau")
            try await sharing.issue(grant, by: Self.bureau)
            let cut = Mutex(0)
            _ = try await sharing.beginView(Self.health, cameraCode: code, context: AccessContext(purpose: "巡查"), onEnd: { _ in cut.withLock { $0 += 1 } })
            let kept = try await sharing.beginView(Self.health, cameraCode: code, context: AccessContext(purpose: "巡查"), onEnd: { _ in cut.withLock { $0 += 1 } })
            await sharing.endView(kept.session.id)
            // A playback and a download run as sessions too, and the revoke cuts them (they once went on).
            let recordingCuts = Mutex<[AccessAction]>([])
            for action: AccessAction in [.playback, .download] {
                let ticket = try await sharing.beginRecording(Self.health, cameraCode: code, action: action, from: now.addingTimeInterval(-30),
                                                              to: now.addingTimeInterval(-10), context: AccessContext(purpose: "取证", destination: "本机"),
                                                              onEnd: { _ in recordingCuts.withLock { $0.append(action) } })
                #expect(ticket.session.action == action && ticket.auditEntry > 0)
            }
            // The grantee's neighbour cannot revoke it; the owner can.
            await #expect(throws: ShareRequestError.self) {
                try await sharing.revoke(Fixtures.principal("edu", .departmentAdmin, department: "03"), grantID: grant.id, reason: "x")
            }
            _ = try await sharing.revoke(Self.transportAdmin, grantID: grant.id, reason: "设备检修")
            #expect(cut.withLock { $0 } == 1)
            #expect(Set(recordingCuts.withLock { $0 }) == [.playback, .download])
            #expect(sharing.sessions.sessions.isEmpty)
            let camera = try #require(try await sharing.camera(code: code))
            #expect(sharing.authorize(Self.health, .live, camera: camera, context: Self.onDuty).reason == .grantRevoked)
            let actions = try await AuditReader(database: db.database).page(AuditQuery()).entries.map(\.draft.action)
            #expect(actions.filter { $0 == .viewStop }.count == 1)
            #expect(actions.contains(.streamCut) && actions.contains(.grantRevoked))
            #expect(actions.filter { $0 == .streamCut }.count == 3, "the live view, the playback and the download were cut")
        }
    }

    /// One owner of a grant holding two departments' cameras takes out its own camera only: the other
    /// owner's camera stays usable, only the view of the revoked camera is cut, and the grant stays active.
    @Test(arguments: SharingTestDatabase.Kind.allCases)
    func anOwnerRevokesOnlyItsOwnCamerasOfAMultiOwnerGrant(kind: SharingTestDatabase.Kind) async throws {
        try await SharingTestDatabase.with(kind) { db in
            let seeded = try await Self.seed(db)
            let sharing = Self.service(db)
            let now = Date()
            let transportCamera = seeded.transport[.conditional]!
            let policeCamera = seeded.classOne[0]
            let grant = Grant(requestID: nil, grantee: Self.health.department,
                              cameras: [Grant.Camera(code: transportCamera, permissions: PermissionSet([.live])),
                                        Grant.Camera(code: policeCamera, permissions: PermissionSet([.live]))],
                              purpose: "联合处置", validFrom: now.addingTimeInterval(-60), validUntil: now.addingTimeInterval(Fixtures.day), createdBy: "bureau")
            try await sharing.issue(grant, by: Self.bureau)
            let cut = Mutex<[String]>([])
            for code in [transportCamera, policeCamera] {
                _ = try await sharing.beginView(Self.health, cameraCode: code, context: AccessContext(purpose: "巡查"), onEnd: { _ in cut.withLock { $0.append(code) } })
            }
            let policeAdmin = Fixtures.principal("police-admin", .departmentAdmin, department: "06")
            let after = try await sharing.revoke(Self.transportAdmin, grantID: grant.id, reason: "设备检修")
            #expect(after.revokedAt == nil, "the grant stays: the police camera is not transport's to revoke")
            #expect(after.cameras.first { $0.code == transportCamera }?.revokedAt != nil)
            #expect(after.cameras.first { $0.code == policeCamera }?.revokedAt == nil)
            #expect(cut.withLock { $0 } == [transportCamera])
            let transport = try #require(try await sharing.camera(code: transportCamera))
            let police = try #require(try await sharing.camera(code: policeCamera))
            #expect(sharing.authorize(Self.health, .live, camera: transport, context: Self.onDuty).reason == .grantRevoked)
            #expect(sharing.authorize(Self.health, .live, camera: police, context: Self.onDuty).reason == .activeGrant)
            // Revoking again changes nothing; the index rebuilt from the database agrees.
            _ = try await sharing.revoke(Self.transportAdmin, grantID: grant.id, reason: "again")
            try await sharing.reloadGrantIndex()
            #expect(sharing.authorize(Self.health, .live, camera: transport, context: Self.onDuty).reason == .grantRevoked)
            #expect(sharing.authorize(Self.health, .live, camera: police, context: Self.onDuty).reason == .activeGrant)
            // The last owner's camera out: as the only owner left, the police revoke the whole grant.
            let whole = try await sharing.revoke(policeAdmin, grantID: grant.id, reason: "案件结束")
            #expect(whole.revokedAt != nil)
            #expect(cut.withLock { $0 } == [transportCamera, policeCamera])
            #expect(sharing.authorize(Self.health, .live, camera: police, context: Self.onDuty).reason == .grantRevoked)
            let revocations = try await AuditReader(database: db.database).page(AuditQuery()).entries.filter { $0.draft.action == .grantRevoked }
            #expect(revocations.count == 2)
            #expect(revocations.contains { $0.draft.detail.contains("cameras=\(transportCamera) of=2") })
        }
    }

    /// A grant revoked by another node reaches this one with the index reload; the periodic
    /// re-check then ends the views still running under it.
    @Test func revocationOnAnotherNodeIsCaughtByTheRecheck() async throws {
        try await SharingTestDatabase.with(.sqlite) { db in
            let seeded = try await Self.seed(db)
            let sharing = Self.service(db)
            let code = seeded.transport[.conditional]!
            let now = Date()
            let grant = Grant(requestID: nil, grantee: Self.health.department, cameras: [Grant.Camera(code: code, permissions: PermissionSet([.live]))],
                              purpose: "协调", validFrom: now.addingTimeInterval(-60), validUntil: now.addingTimeInterval(Fixtures.day), createdBy: "bureau")
            try await sharing.issue(grant, by: Self.bureau)
            let cut = Mutex(false)
            _ = try await sharing.beginView(Self.health, cameraCode: code, context: AccessContext(purpose: "巡查"), onEnd: { _ in cut.withLock { $0 = true } })
            await sharing.recheckAllSessions()
            #expect(!cut.withLock { $0 })
            #expect(try await GrantStore(database: db.database).revoke(id: grant.id, by: "other-node", reason: "x", at: now))
            try await sharing.reloadGrantIndex()
            await sharing.recheckAllSessions()
            #expect(cut.withLock { $0 })
            #expect(sharing.sessions.sessions.isEmpty)
        }
    }

    @Test func queriesFreezeAtTheFirstReview() async throws {
        try await SharingTestDatabase.with(.sqlite) { db in
            let seeded = try await Self.seed(db)
            let sharing = Self.service(db)
            let now = Date()
            let submitted = try await sharing.submit(Self.health, ShareRequestDraft(
                selection: CameraSelection(query: SelectionQuery(department: "06", pointClass: "1")), permissions: PermissionSet([.live]),
                purpose: "值守", validFrom: now, validUntil: now.addingTimeInterval(Fixtures.day)), now: now)
            #expect(!submitted.request.frozen)
            _ = try await sharing.review(Self.police, requestID: submitted.request.id, decision: .approve, now: now)
            try await Fixtures.file(Fixtures.record(serial: 99, department: "06", pointClass: "1"), in: CameraStore(database: db.database))
            let later = try await sharing.review(Self.bureau, requestID: submitted.request.id, decision: .approve, now: now)
            #expect(later.request.frozen)
            #expect(Set(later.request.cameras) == Set(seeded.classOne))
        }
    }
}

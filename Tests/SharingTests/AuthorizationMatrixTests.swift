import Foundation
import GBCore
import Sharing
import Testing

/// Every role × share attribute × action × grant state through `authorize`, with the reason.
@Suite struct AuthorizationMatrixTests {
    enum GrantState: String, CaseIterable, Sendable, CustomStringConvertible {
        case none, active, expired, revoked, otherDepartment, outOfDivisionScope
        var description: String { rawValue }
    }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let granted = PermissionSet([.live, .playback, .download])

    /// Each role as the matrix sees it: the administrator has no department; the others belong to one.
    static func principal(_ role: Role) -> Principal {
        switch role {
        case .systemAdmin: Fixtures.principal("admin", role, department: "", division: "")
        case .dataBureauReviewer: Fixtures.principal("bureau", role, department: "29")
        case .policeReviewer: Fixtures.principal("police", role, department: "06")
        case .departmentAdmin: Fixtures.principal("health-admin", role, department: "19")
        case .departmentOperator: Fixtures.principal("health-op", role, department: "19")
        case .auditor: Fixtures.principal("auditor", role, department: "22")
        case .systemAccount: Fixtures.principal("grid-map", role, department: "19")
        case .upperPlatform: Principal.upperPlatform("44000000002000000001")
        }
    }

    /// A transport (14) camera in 陆河县 441523, default permissions live + playback.
    static func camera(_ attribute: ShareAttribute) -> CameraFacts {
        CameraFacts(code: "44152309581320000001", department: "14", division: "441523", shareAttribute: attribute,
                    defaultPermissions: PermissionSet([.live, .playback]), shareable: true)
    }

    static func index(_ state: GrantState, for principal: Principal, camera: CameraFacts) -> GrantIndex {
        var grantee = principal.department
        var from = now.addingTimeInterval(-Fixtures.day)
        var until = now.addingTimeInterval(Fixtures.day)
        var revokedAt: Date? = nil
        switch state {
        case .none: return GrantIndex()
        case .active: break
        case .expired: from = now.addingTimeInterval(-2 * Fixtures.day); until = now.addingTimeInterval(-Fixtures.hour)
        case .revoked: revokedAt = now.addingTimeInterval(-Fixtures.hour)
        case .otherDepartment: grantee = DepartmentRef(code: "24", division: "4415")
        case .outOfDivisionScope: grantee = DepartmentRef(code: principal.department.code.isEmpty ? "19" : principal.department.code, division: "441581")
        }
        let grant = Grant(requestID: nil, grantee: grantee, cameras: [Grant.Camera(code: camera.code, permissions: granted)], purpose: "巡查",
                          validFrom: from, validUntil: until, createdBy: "test", revokedAt: revokedAt)
        return GrantIndex([grant])
    }

    /// The rule written out once more, independently of the implementation.
    static func expected(_ role: Role, _ attribute: ShareAttribute, _ action: AccessAction, _ state: GrantState) -> DecisionReason {
        if role == .auditor { return .roleMayNot }
        if role == .systemAdmin { return .noDepartment }
        switch state {
        case .active: return granted.contains(action.permission!) ? .activeGrant : .permissionNotGranted
        case .expired: return .grantExpired
        case .revoked: return .grantRevoked
        case .outOfDivisionScope: return .outOfDivisionScope
        case .none, .otherDepartment:
            // The matrix camera is not class 1: an upper platform sees it only under a grant naming it.
            if role == .upperPlatform { return .notForUpperPlatform }
            return attribute == .notShared ? .notShared : .noGrant
        }
    }

    @Test(arguments: Role.allCases, GrantState.allCases)
    func mediaMatrix(role: Role, state: GrantState) {
        let authorizer = Authorizer(policy: SharingPolicy())
        let principal = Self.principal(role)
        for attribute in ShareAttribute.allCases {
            let camera = Self.camera(attribute)
            let grants = Self.index(state, for: principal, camera: camera)
            for action in AccessAction.mediaActions {
                let decision = authorizer.authorize(principal, action, camera: camera, grants: grants,
                                                    context: AccessContext(now: Self.now, purpose: "防汛巡查"))
                let want = Self.expected(role, attribute, action, state)
                #expect(decision.reason == want, "\(role) \(attribute) \(action) \(state): got \(decision.reason)")
                #expect(decision.allowed == want.allows)
                if decision.reason == .activeGrant { #expect(decision.grantID != nil) }
            }
        }
    }

    @Test(arguments: Role.allCases)
    func ownDepartmentInAndOutOfScope(role: Role) {
        let authorizer = Authorizer(policy: SharingPolicy())
        var principal = Self.principal(role)
        principal.department = DepartmentRef(code: "14", division: "441523")
        let own = Self.camera(.notShared)
        var elsewhere = own
        elsewhere.division = "441581"
        for action in AccessAction.mediaActions {
            let inside = authorizer.authorize(principal, action, camera: own, grants: GrantIndex(), context: AccessContext(purpose: "x"))
            let outside = authorizer.authorize(principal, action, camera: elsewhere, grants: GrantIndex(), context: AccessContext(purpose: "x"))
            #expect(inside.reason == (role == .auditor ? .roleMayNot : .ownDepartment))
            let outsideReason: DecisionReason = switch role {
            case .auditor: .roleMayNot
            case .upperPlatform: .notForUpperPlatform  // its own rule, not a department's division scope
            default: .outOfDivisionScope
            }
            #expect(outside.reason == outsideReason)
        }
    }

    @Test func brokenRecordsAreNotSharedEvenUnderAGrant() {
        let principal = Self.principal(.departmentOperator)
        var camera = Self.camera(.conditional)
        camera.shareable = false
        let decision = Authorizer(policy: SharingPolicy()).authorize(principal, .live, camera: camera,
                                                                     grants: Self.index(.active, for: principal, camera: camera),
                                                                     context: AccessContext(now: Self.now))
        #expect(decision.reason == .cameraNotShareable)
    }

    @Test func unconditionalDefaultsWhenPolicyOpensThem() {
        var policy = SharingPolicy()
        policy.unconditionalOpenAccess = true
        let authorizer = Authorizer(policy: policy)
        let principal = Self.principal(.departmentOperator)
        let context = AccessContext(now: Self.now, purpose: "巡查")
        #expect(authorizer.authorize(principal, .live, camera: Self.camera(.unconditional), grants: GrantIndex(), context: context).reason == .unconditionalDefault)
        #expect(authorizer.authorize(principal, .ptz, camera: Self.camera(.unconditional), grants: GrantIndex(), context: context).reason == .noGrant)
        #expect(authorizer.authorize(principal, .live, camera: Self.camera(.conditional), grants: GrantIndex(), context: context).reason == .noGrant)
    }

    /// 002 第十四条七: every use of video is registered with its reason, live included (the console
    /// asks it once per login); a policy may leave live out.
    @Test(arguments: [AccessAction.playback, .download, .live])
    func purposeIsRequiredForEveryUseOfVideo(action: AccessAction) {
        let principal = Self.principal(.departmentOperator)
        let camera = Self.camera(.conditional)
        let decision = Authorizer(policy: SharingPolicy()).authorize(principal, action, camera: camera,
                                                                     grants: Self.index(.active, for: principal, camera: camera),
                                                                     context: AccessContext(now: Self.now, purpose: "  "))
        #expect(decision.reason == .purposeRequired)
        var livePurposeOptional = SharingPolicy()
        livePurposeOptional.purposeRequiredFor = [.playback, .download]
        let configured = Authorizer(policy: livePurposeOptional).authorize(principal, action, camera: camera,
                                                                           grants: Self.index(.active, for: principal, camera: camera),
                                                                           context: AccessContext(now: Self.now, purpose: ""))
        #expect(configured.reason == (action == .live ? .activeGrant : .purposeRequired))
    }

    @Test("a grant covers recordings from its start on, not footage from before it")
    func recordingsBeforeTheGrantAreNotCovered() {
        let authorizer = Authorizer(policy: SharingPolicy())
        let principal = Self.principal(.departmentOperator)
        let camera = Self.camera(.conditional)
        let grants = Self.index(.active, for: principal, camera: camera)  // valid from a day before `now`
        func decide(_ action: AccessAction, from: Date) -> DecisionReason {
            authorizer.authorize(principal, action, camera: camera, grants: grants,
                                 context: AccessContext(now: Self.now, purpose: "取证", recordingFrom: from)).reason
        }
        for action: AccessAction in [.playback, .download] {
            #expect(decide(action, from: Self.now.addingTimeInterval(-Fixtures.hour)) == .activeGrant)
            #expect(decide(action, from: Self.now.addingTimeInterval(-2 * Fixtures.day)) == .recordingBeforeGrant)
        }
    }

    /// Non-camera actions by role.
    @Test(arguments: Role.allCases)
    func administrativeActions(role: Role) {
        let authorizer = Authorizer(policy: SharingPolicy())
        let principal = Self.principal(role)
        func allowed(_ action: AccessAction) -> Bool { authorizer.authorize(principal, action, grants: GrantIndex()).allowed }
        #expect(allowed(.readDirectory) == (role != .auditor && role != .upperPlatform), "an upper platform reads no directory")
        #expect(allowed(.readReference))
        #expect(allowed(.readAudit) == (role == .auditor))
        #expect(allowed(.manageUsers) == (role == .systemAdmin))
        #expect(allowed(.requestShare) == [.departmentAdmin, .departmentOperator, .dataBureauReviewer, .policeReviewer].contains(role))
        #expect(allowed(.reviewShare) == [.departmentAdmin, .dataBureauReviewer, .policeReviewer, .systemAdmin].contains(role))
        #expect(allowed(.revokeGrant) == [.systemAdmin, .departmentAdmin, .dataBureauReviewer].contains(role))
        let own = CameraFacts(code: "x", department: principal.department.code, division: "441523", shareAttribute: .conditional,
                              defaultPermissions: PermissionSet([]), shareable: true)
        let other = CameraFacts(code: "y", department: "24", division: "441523", shareAttribute: .conditional,
                                defaultPermissions: PermissionSet([]), shareable: true)
        let editsOwn = authorizer.authorize(principal, .editCamera, camera: own, grants: GrantIndex()).allowed
        let editsOther = authorizer.authorize(principal, .editCamera, camera: other, grants: GrantIndex())
        #expect(editsOwn == [.systemAdmin, .departmentAdmin, .departmentOperator].contains(role))
        #expect(editsOther.allowed == (role == .systemAdmin))
        if [.departmentAdmin, .departmentOperator].contains(role) { #expect(editsOther.reason == .otherDepartment) }
        // Platforms are the bureau's; a device is its owner's department admin's, and the bureau's.
        #expect(allowed(.managePlatforms) == [.systemAdmin, .dataBureauReviewer].contains(role))
        let managesOwn = authorizer.authorize(principal, .manageDevice, camera: own, grants: GrantIndex()).allowed
        let managesOther = authorizer.authorize(principal, .manageDevice, camera: other, grants: GrantIndex())
        let managesUnfiled = authorizer.authorize(principal, .manageDevice, camera: nil, grants: GrantIndex()).allowed
        #expect(managesOwn == [.systemAdmin, .dataBureauReviewer, .departmentAdmin].contains(role))
        #expect(managesOther.allowed == [.systemAdmin, .dataBureauReviewer].contains(role))
        #expect(managesUnfiled == [.systemAdmin, .dataBureauReviewer].contains(role))
        if role == .departmentAdmin { #expect(managesOther.reason == .otherDepartment) }
    }

    /// The province's default share of the city (004 §3.3): class-1 cameras shared without conditions, with
    /// the camera's own default permissions, never PTZ; more only under a grant naming the upper; the
    /// staff's open access does not extend to it.
    @Test func upperPlatformSeesClassOneUnconditionalCamerasOnly() {
        var policy = SharingPolicy()
        policy.unconditionalOpenAccess = true
        let authorizer = Authorizer(policy: policy)
        let upper = Principal.upperPlatform("44000000002000000001")
        #expect(upper == Principal.upperPlatform("44000000002000000001"), "one identity across restarts")
        let context = AccessContext(now: Self.now, purpose: "级联调阅")
        var classOne = Self.camera(.unconditional)
        classOne.pointClass = "1"
        func reason(_ action: AccessAction, _ camera: CameraFacts, _ grants: GrantIndex = GrantIndex()) -> DecisionReason {
            authorizer.authorize(upper, action, camera: camera, grants: grants, context: context).reason
        }
        #expect(reason(.live, classOne) == .upperPlatformDefault)
        #expect(reason(.playback, classOne) == .upperPlatformDefault)
        #expect(reason(.download, classOne) == .notForUpperPlatform, "not among the camera's default permissions")
        #expect(reason(.ptz, classOne) == .notForUpperPlatform, "PTZ needs a grant")
        #expect(reason(.live, Self.camera(.unconditional)) == .notForUpperPlatform, "class 3 is not pushed up")
        var conditional = Self.camera(.conditional)
        conditional.pointClass = "1"
        #expect(reason(.live, conditional) == .notForUpperPlatform)
        var broken = classOne
        broken.shareable = false
        #expect(reason(.live, broken) == .cameraNotShareable)
        let ptzGrant = Grant(requestID: nil, grantee: upper.department,
                             cameras: [Grant.Camera(code: classOne.code, permissions: PermissionSet([.live, .ptz]))], purpose: "省级指挥调度",
                             validFrom: Self.now.addingTimeInterval(-Fixtures.day), validUntil: Self.now.addingTimeInterval(Fixtures.day), createdBy: "test")
        #expect(reason(.ptz, classOne, GrantIndex([ptzGrant])) == .activeGrant)
        var another = classOne
        another.code = "44152309581320000002"
        #expect(reason(.ptz, another, GrantIndex([ptzGrant])) == .notForUpperPlatform, "the grant names another camera")
        #expect(authorizer.authorize(upper, .readDirectory, grants: GrantIndex()).reason == .roleMayNot)
        #expect(authorizer.authorize(upper, .managePlatforms, grants: GrantIndex()).reason == .roleMayNot)
        #expect(authorizer.authorize(upper, .grantUpperPlatform, camera: classOne, grants: GrantIndex()).reason == .roleMayNot,
                "an upper does not grant itself")
        // The catalog: the default share, plus cameras a grant in force names; never an unshareable one.
        let upperID = "44000000002000000001"
        var conditionalGranted = Self.camera(.conditional)
        conditionalGranted.code = classOne.code
        #expect(authorizer.upperPlatformSees(classOne, upperID: upperID, grants: GrantIndex(), now: Self.now))
        #expect(!authorizer.upperPlatformSees(conditionalGranted, upperID: upperID, grants: GrantIndex(), now: Self.now))
        #expect(authorizer.upperPlatformSees(conditionalGranted, upperID: upperID, grants: GrantIndex([ptzGrant]), now: Self.now))
        #expect(!authorizer.upperPlatformSees(conditionalGranted, upperID: "44000000002000000009", grants: GrantIndex([ptzGrant]), now: Self.now),
                "another upper's grant")
        #expect(!authorizer.upperPlatformSees(conditionalGranted, upperID: upperID, grants: GrantIndex([ptzGrant]),
                                              now: Self.now.addingTimeInterval(2 * Fixtures.day)), "an expired grant")
        var brokenGranted = conditionalGranted
        brokenGranted.shareable = false
        #expect(!authorizer.upperPlatformSees(brokenGranted, upperID: upperID, grants: GrantIndex([ptzGrant]), now: Self.now))
    }

    /// Who may share a camera with an upper beyond its default: the bureau any shareable camera, a
    /// department administrator its own department's cameras in its scope, nobody else.
    @Test(arguments: Role.allCases)
    func grantingToAnUpperPlatform(role: Role) {
        let authorizer = Authorizer(policy: SharingPolicy())
        let principal = Self.principal(role)
        let own = CameraFacts(code: "x", department: principal.department.code, division: "441523", shareAttribute: .conditional,
                              defaultPermissions: PermissionSet([]), shareable: true)
        let other = CameraFacts(code: "y", department: "24", division: "441523", shareAttribute: .conditional,
                                defaultPermissions: PermissionSet([]), shareable: true)
        var unshareable = other
        unshareable.shareable = false
        func decide(_ camera: CameraFacts?) -> AccessDecision {
            authorizer.authorize(principal, .grantUpperPlatform, camera: camera, grants: GrantIndex())
        }
        let bureau = [.systemAdmin, .dataBureauReviewer].contains(role)
        #expect(decide(own).allowed == (bureau || role == .departmentAdmin))
        #expect(decide(other).allowed == bureau)
        #expect(decide(unshareable).allowed == false)
        if bureau { #expect(decide(unshareable).reason == .cameraNotShareable) }
        if role == .departmentAdmin { #expect(decide(other).reason == .otherDepartment) }
        #expect(decide(nil).allowed == (bureau || role == .departmentAdmin), "the console's ability")
    }
}

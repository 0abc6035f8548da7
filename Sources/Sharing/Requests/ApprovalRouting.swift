import Foundation
import GBCore

/// Where one camera of a request stands.
public struct CameraOutcome: Sendable, Codable, Hashable {
    public enum State: String, Sendable, Codable {
        /// Waiting for `waitingFor`.
        case pending
        case granted
        case refused
        /// The requester's own camera: nothing to grant.
        case own
        /// Not in the directory, or kept out of sharing by errors: cannot be granted.
        case unavailable
    }

    public var code: String
    public var owner: String
    public var division: String
    public var shareAttribute: String
    public var steps: [ReviewStep]
    public var state: State
    public var waitingFor: ReviewStep?
    public var permissions: PermissionSet
    /// Whether the person looking may answer this camera's waiting step now (set for the viewer, so the
    /// console offers only what the server will take).
    public var mayAnswer: Bool?
}

/// The approval chain for each camera of a request, evaluated from the reviews so far. Pure: the
/// service feeds it facts and reviews and stores what it says.
public struct ApprovalRouting: Sendable {
    public var policy: SharingPolicy

    public init(policy: SharingPolicy) {
        self.policy = policy
    }

    /// The chain for a camera of another department. When the owner is itself the police (06) or
    /// the data bureau (29), its answer as owner is also that review: one body does not review twice.
    public func steps(for camera: CameraFacts) -> [ReviewStep] {
        var steps = policy.steps(for: camera.shareAttribute)
        if camera.department == DepartmentCode.publicSecurity.rawValue && steps.contains(.owner) { steps.removeAll { $0 == .police } }
        if camera.department == DepartmentCode.dataBureau.rawValue && steps.contains(.owner) { steps.removeAll { $0 == .dataBureau } }
        var seen: Set<ReviewStep> = []
        return steps.filter { seen.insert($0).inserted }
    }

    public func outcome(code: String, facts: CameraFacts?, request: ShareRequest) -> CameraOutcome {
        guard let facts else {
            return CameraOutcome(code: code, owner: "", division: "", shareAttribute: "", steps: [], state: .unavailable,
                                 waitingFor: nil, permissions: PermissionSet([]), mayAnswer: nil)
        }
        var outcome = CameraOutcome(code: code, owner: facts.department, division: facts.division,
                                    shareAttribute: facts.shareAttribute?.rawValue ?? "", steps: [], state: .pending,
                                    waitingFor: nil, permissions: request.permissions, mayAnswer: nil)
        if facts.department == request.department.code && request.department.covers(division: facts.division) {
            outcome.state = .own
            return outcome
        }
        guard facts.shareable else {
            outcome.state = .unavailable
            return outcome
        }
        outcome.steps = steps(for: facts)
        if outcome.steps.isEmpty {
            // Unconditional: granted at once, for the camera's default permissions only.
            outcome.permissions = PermissionSet(request.permissions.members.intersection(facts.defaultPermissions.members))
            outcome.state = outcome.permissions.members.isEmpty ? .refused : .granted
            return outcome
        }
        for step in outcome.steps {
            // The latest answer of this step for this camera counts.
            guard let review = request.reviews.last(where: { $0.step == step && $0.cameras.contains(code) }) else {
                outcome.waitingFor = step
                return outcome
            }
            if review.decision == .reject {
                outcome.state = .refused
                return outcome
            }
            outcome.permissions = PermissionSet(outcome.permissions.members.intersection(review.permissions.members))
        }
        outcome.state = outcome.permissions.members.isEmpty ? .refused : .granted
        return outcome
    }

    /// Whether `reviewer` may answer `step` for this camera of a request made by `requester`. Owners answer
    /// for their own department within their division; reviewers of the data bureau and the police within
    /// theirs. Once a request is overdue the data bureau may answer in the owner's place.
    ///
    /// Nobody answers a step of their own department's request (回避): a police colleague once approved the
    /// police step of a police request, and after escalation a bureau reviewer the owner step of a bureau
    /// request. When the bureau or the police themselves ask, their step goes to the system administrator,
    /// who belongs to no department.
    public func mayReview(_ reviewer: Principal, step: ReviewStep, camera: CameraOutcome, escalated: Bool, requester: DepartmentRef) -> Bool {
        if reviewer.department.code == requester.code && !requester.code.isEmpty { return false }
        let covers = reviewer.department.division.isEmpty || camera.division.hasPrefix(reviewer.department.division)
        switch step {
        case .owner:
            if escalated && reviewer.role == .dataBureauReviewer && covers { return true }
            let ownerRoles: [Role] = [.departmentAdmin, .policeReviewer, .dataBureauReviewer]
            return ownerRoles.contains(reviewer.role) && reviewer.department.code == camera.owner && covers
        case .dataBureau:
            if requester.code == DepartmentCode.dataBureau.rawValue { return reviewer.role == .systemAdmin }
            return reviewer.role == .dataBureauReviewer && covers
        case .police:
            if requester.code == DepartmentCode.publicSecurity.rawValue { return reviewer.role == .systemAdmin }
            return reviewer.role == .policeReviewer && covers
        }
    }

    public static func status(of outcomes: [CameraOutcome]) -> ShareRequest.Status {
        let decided = outcomes.filter { $0.state != .own }
        if decided.contains(where: { $0.state == .pending }) { return .pending }
        let granted = decided.filter { $0.state == .granted }.count
        if granted == 0 { return .rejected }
        return granted == decided.count ? .approved : .partial
    }
}

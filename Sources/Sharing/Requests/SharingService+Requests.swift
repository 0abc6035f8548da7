import Foundation
import GBCore

/// The request → review → grant workflow (按需共享、授权使用).
extension SharingService {
    var requestStore: ShareRequestStore { ShareRequestStore(database: database) }

    /// Files a request. Cameras are resolved now; unconditional ones are granted at once (and
    /// recorded), the rest wait for their approval chain.
    public func submit(_ principal: Principal, _ draft: ShareRequestDraft, clientAddress: String = "", now: Date = Date()) async throws -> ShareRequestView {
        try await require(principal, .requestShare, context: AccessContext(now: now, clientAddress: clientAddress), auditAction: .shareRequest)
        let purpose = draft.purpose.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !purpose.isEmpty else { throw ShareRequestError.invalid(LocalizedText(zh: "请填写使用事由", en: "a purpose is required")) }
        guard !draft.permissions.members.isEmpty else {
            throw ShareRequestError.invalid(LocalizedText(zh: "请选择申请的权限", en: "choose at least one permission"))
        }
        guard draft.validUntil > draft.validFrom, draft.validUntil > now else {
            throw ShareRequestError.invalid(LocalizedText(zh: "授权期限无效", en: "the period is invalid: it must end after it starts, in the future"))
        }
        guard draft.validUntil.timeIntervalSince(draft.validFrom) <= Double(policy.maxGrantDays) * 86_400 else {
            throw ShareRequestError.invalid(LocalizedText(zh: "授权期限不能超过\(policy.maxGrantDays)天", en: "a grant may last at most \(policy.maxGrantDays) days"))
        }
        let cameras = try await resolve(draft.selection)
        guard !cameras.isEmpty else {
            throw ShareRequestError.invalid(LocalizedText(zh: "没有符合条件的摄像机", en: "the selection names no camera"))
        }
        var request = ShareRequest(
            id: UUID(), requesterID: principal.id, requester: principal.username, department: principal.department,
            selection: draft.selection, cameras: cameras, frozen: draft.selection.query == nil, permissions: draft.permissions,
            purpose: purpose, validFrom: draft.validFrom, validUntil: draft.validUntil, status: .pending, createdAt: now,
            deadline: WorkingDays.adding(policy.ownerDeadlineWorkingDays, to: now), escalatedAt: nil, decidedAt: nil, reviews: [])
        try await requestStore.insert(request)
        try await audit.append(AuditDraft(principal, .shareRequest, target: "request:\(request.id)", purpose: purpose, clientAddress: clientAddress,
                                          detail: "cameras=\(cameras.count) permissions=\(draft.permissions) until=\(ISO8601DateFormatter().string(from: draft.validUntil))"))
        return try await settle(&request, actor: principal, clientAddress: clientAddress, now: now)
    }

    func resolve(_ selection: CameraSelection) async throws -> [String] {
        var codes = (selection.codes ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let query = selection.query {
            guard !query.isEmpty else {
                throw ShareRequestError.invalid(LocalizedText(zh: "目录查询条件不能为空", en: "a directory query needs at least one filter"))
            }
            codes += try await CameraFactsLoader(database: database).resolve(query, cap: Self.maxCamerasPerRequest)
        }
        var seen: Set<String> = []
        codes = codes.filter { seen.insert($0).inserted }
        guard codes.count <= Self.maxCamerasPerRequest else { throw ShareRequestError.tooManyCameras(Self.maxCamerasPerRequest) }
        return codes
    }

    /// A reviewer's answer. Without `cameras`, it covers every camera waiting for this reviewer;
    /// with them, the listed ones are approved and the rest of the reviewer's cameras refused
    /// (partial approval). `permissions` may narrow what was asked.
    public func review(_ principal: Principal, requestID: UUID, decision: ReviewDecision, cameras: [String]? = nil,
                       permissions: PermissionSet? = nil, comment: String = "", clientAddress: String = "", now: Date = Date()) async throws -> ShareRequestView {
        let auditAction: AuditAction = decision == .approve ? .shareApprove : .shareReject
        try await require(principal, .reviewShare, context: AccessContext(now: now, clientAddress: clientAddress), auditAction: auditAction)
        guard var request = try await requestStore.request(id: requestID) else { throw ShareRequestError.notFound("request \(requestID)") }
        let target = "request:\(request.id)"
        guard request.status == .pending else { throw ShareRequestError.notPending(request.status) }
        if request.requesterID == principal.id {
            try await refuse(principal, auditAction, target: target, reason: .otherDepartment,
                             message: LocalizedText(zh: "不能审批自己提交的申请", en: "you cannot review your own request"), clientAddress: clientAddress)
        }
        if !request.frozen {
            // Resolved and frozen at the first answer: later directory changes do not widen it.
            request.cameras = try await resolve(request.selection)
            request.frozen = true
        }
        let facts = try await CameraFactsLoader(database: database).facts(codes: request.cameras)
        let escalated = request.escalatedAt != nil || request.isOverdue(at: now)
        var byStep: [ReviewStep: [String]] = [:]
        for code in request.cameras {
            let outcome = routing.outcome(code: code, facts: facts[code], request: request)
            guard outcome.state == .pending, let step = outcome.waitingFor else { continue }
            if routing.mayReview(principal, step: step, camera: outcome, escalated: escalated, requester: request.department) {
                byStep[step, default: []].append(code)
            }
        }
        guard !byStep.isEmpty else {
            try await refuse(principal, auditAction, target: target, reason: .otherDepartment,
                             message: LocalizedText(zh: "该申请中没有等待您审批的摄像机", en: "no camera of this request is waiting for your review"),
                             clientAddress: clientAddress)
        }
        let chosen = cameras.map(Set.init)
        let allowed = PermissionSet(request.permissions.members.intersection((permissions ?? request.permissions).members))
        var reviews: [ShareReview] = []
        for (step, codes) in byStep.sorted(by: { $0.key < $1.key }) {
            let approved = decision == .approve ? codes.filter { chosen?.contains($0) ?? true } : []
            let refused = codes.filter { !approved.contains($0) }
            let base = ShareReview(step: step, reviewerID: principal.id, reviewer: principal.username, department: principal.department,
                                   decision: .approve, cameras: approved, permissions: allowed, comment: comment, at: now)
            if !approved.isEmpty { reviews.append(base) }
            if !refused.isEmpty {
                var rejection = base
                rejection.decision = .reject
                rejection.cameras = refused
                reviews.append(rejection)
            }
        }
        try await requestStore.insert(reviews, requestID: request.id)
        request.reviews += reviews
        for review in reviews {
            try await audit.append(AuditDraft(principal, review.decision == .approve ? .shareApprove : .shareReject, target: target,
                                              purpose: request.purpose, clientAddress: clientAddress,
                                              detail: "step=\(review.step.rawValue) cameras=\(review.cameras.count) permissions=\(review.permissions) \(comment)"))
        }
        return try await settle(&request, actor: principal, clientAddress: clientAddress, now: now)
    }

    public func withdraw(_ principal: Principal, requestID: UUID, clientAddress: String = "", now: Date = Date()) async throws -> ShareRequestView {
        guard var request = try await requestStore.request(id: requestID) else { throw ShareRequestError.notFound("request \(requestID)") }
        let decision = authorizer.withdrawal(principal, of: request)
        guard decision.allowed else {
            try await refuse(principal, .shareWithdraw, target: "request:\(request.id)", reason: decision.reason, clientAddress: clientAddress)
        }
        guard request.status == .pending else { throw ShareRequestError.notPending(request.status) }
        request.status = .withdrawn
        request.decidedAt = now
        try await requestStore.update(request)
        try await audit.append(AuditDraft(principal, .shareWithdraw, target: "request:\(request.id)", clientAddress: clientAddress))
        return try await view(request, now: now)
    }

    /// Evaluates every camera, issues a grant for cameras newly granted, and stores the status.
    func settle(_ request: inout ShareRequest, actor: Principal, clientAddress: String, now: Date) async throws -> ShareRequestView {
        let facts = try await CameraFactsLoader(database: database).facts(codes: request.cameras)
        let outcomes = request.cameras.map { routing.outcome(code: $0, facts: facts[$0], request: request) }
        let store = GrantStore(database: database)
        let existing = try await store.grants { $0.where("request_id", .equal, request.id.uuidString) }
        let alreadyGranted = Set(existing.flatMap(\.cameraCodes))
        let newlyGranted = outcomes.filter { $0.state == .granted && !alreadyGranted.contains($0.code) }
        var grantIDs = existing.map(\.id)
        if !newlyGranted.isEmpty {
            let grant = Grant(requestID: request.id, grantee: request.department,
                              cameras: newlyGranted.map { Grant.Camera(code: $0.code, permissions: $0.permissions) },
                              purpose: request.purpose, validFrom: request.validFrom, validUntil: request.validUntil, createdAt: now,
                              createdBy: actor.username)
            try await issue(grant, by: actor, clientAddress: clientAddress)
            grantIDs.append(grant.id)
        }
        let status = ApprovalRouting.status(of: outcomes)
        if status != request.status || !request.frozen {
            request.status = status
            if status != .pending { request.decidedAt = now }
        }
        try await requestStore.update(request)
        return ShareRequestView(request: request, cameras: outcomes, overdue: request.isOverdue(at: now), grantIDs: grantIDs)
    }

    /// The request as `viewer` sees it: with each pending camera marked whether the viewer may answer it
    /// (the same rule `review` applies, so the form never offers a camera the server then skips).
    func view(_ request: ShareRequest, now: Date, for viewer: Principal? = nil) async throws -> ShareRequestView {
        let facts = try await CameraFactsLoader(database: database).facts(codes: request.cameras)
        let grants = try await GrantStore(database: database).grants { $0.where("request_id", .equal, request.id.uuidString) }
        let escalated = request.escalatedAt != nil || request.isOverdue(at: now)
        let cameras = request.cameras.map { code in
            var outcome = routing.outcome(code: code, facts: facts[code], request: request)
            if let viewer, outcome.state == .pending, let step = outcome.waitingFor {
                outcome.mayAnswer = request.requesterID != viewer.id
                    && routing.mayReview(viewer, step: step, camera: outcome, escalated: escalated, requester: request.department)
            }
            return outcome
        }
        var answer = ShareRequestView(request: request, cameras: cameras, overdue: request.isOverdue(at: now), grantIDs: grants.map(\.id))
        if let viewer { answer.mayWithdraw = request.status == .pending && authorizer.withdrawal(viewer, of: request).allowed }
        return answer
    }

    /// Which requests a principal sees: the requesting department its own; reviewers those with
    /// cameras waiting for them (and, for the data bureau, police and administrators, every one).
    public enum RequestFilter: String, Sendable, Codable {
        case mine, toReview = "to_review", all
    }

    public func requests(_ principal: Principal, filter: RequestFilter, status: ShareRequest.Status? = nil, now: Date = Date()) async throws -> [ShareRequestView] {
        switch filter {
        case .mine:
            guard !principal.department.isEmpty else { return [] }
            return try await requestStore.requests(department: principal.department, status: status).asyncMap { try await self.view($0, now: now) }
        case .toReview:
            try await require(principal, .reviewShare)
            let pending = try await requestStore.requests(status: .pending)
            var result: [ShareRequestView] = []
            for request in pending {
                let view = try await view(request, now: now)
                let escalated = request.escalatedAt != nil || request.isOverdue(at: now)
                if request.requesterID != principal.id, view.cameras.contains(where: { outcome in
                    outcome.state == .pending && outcome.waitingFor.map {
                        routing.mayReview(principal, step: $0, camera: outcome, escalated: escalated, requester: request.department)
                    } == true
                }) { result.append(view) }
            }
            return result
        case .all:
            let decision = authorize(principal, .readAllRequests)
            guard decision.allowed else {
                try await refuse(principal, .accessDenied, target: "requests:all", reason: decision.reason, clientAddress: "")
            }
            return try await requestStore.requests(status: status).asyncMap { try await self.view($0, now: now) }
        }
    }

    public func request(_ principal: Principal, id: UUID, now: Date = Date()) async throws -> ShareRequestView {
        guard let request = try await requestStore.request(id: id) else { throw ShareRequestError.notFound("request \(id)") }
        let view = try await view(request, now: now, for: principal)
        let decision = authorizer.requestReading(principal, of: request, cameras: view.cameras)
        guard decision.allowed else {
            try await refuse(principal, .accessDenied, target: "request:\(id)", reason: decision.reason, clientAddress: "")
        }
        return view
    }

    /// Escalates pending requests past their deadline to the data bureau (shown as overdue).
    @discardableResult
    public func escalateOverdueRequests(now: Date = Date()) async throws -> Int {
        let overdue = try await requestStore.overdueUnescalated(now: now)
        for var request in overdue {
            request.escalatedAt = now
            try await requestStore.update(request)
            try await audit.append(AuditDraft(.platform, .shareEscalate, target: "request:\(request.id)",
                                              detail: "deadline=\(ISO8601DateFormatter().string(from: request.deadline))"))
        }
        return overdue.count
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

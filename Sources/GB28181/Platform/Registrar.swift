import Foundation
import GBCore
import NIOCore
import SIP

/// REGISTER handling (spec §2.1-§2.3): code check, directory check, digest (realm = domain), 200 with
/// Date for time sync, refresh, Expires: 0.
extension GBPlatformService {
    nonisolated func handleRegister(_ transaction: SIPServerTransaction) async {
        let request = transaction.request
        let deviceID: String
        switch RegistrationIdentity.of(request, platformID: configuration.platformID) {
        case .device(let id):
            deviceID = id
        case .missing:
            logger.warning("REGISTER without a device ID in From or To", metadata: ["source": "\(transaction.source)"])
            return await transaction.respond(transaction.makeResponse(statusCode: 400, reasonPhrase: "No Device ID"))
        case let .conflicting(from, to):
            logger.warning("REGISTER names two devices", metadata: ["source": "\(transaction.source)", "from": "\(from)", "to": "\(to)"])
            return await transaction.respond(transaction.makeResponse(statusCode: 400, reasonPhrase: "From And To Name Different Devices"))
        }
        if let problem = Self.registrationCodeProblem(deviceID) {
            return await refuse(transaction, deviceID: deviceID, reason: .invalidCode(problem))
        }
        guard let expires = Self.requestedExpiry(request) else {
            // [W]: a REGISTER without Expires is answered 400 (spec §2.2).
            return await transaction.respond(transaction.makeResponse(statusCode: 400, reasonPhrase: "Missing Expires"))
        }
        // Challenge before looking anything up: whoever sends a REGISTER learns nothing of the directory
        // (an unfiled, a barred and a filed code get the same 401, then the same 403 for a wrong digest).
        guard let authorization = request.headers["Authorization"] else {
            return await challenge(transaction, stale: false)
        }
        let password: String, charset: OutgoingCharset?
        switch await policy.access(for: deviceID) {
        case .unfiled: return await refuse(transaction, deviceID: deviceID, reason: .unfiled)
        case .barred(let why): return await refuse(transaction, deviceID: deviceID, reason: .barred(why))
        case let .allowed(filedPassword, filedCharset):
            // Without a password no answer could be checked: refused (after the challenge, like any refusal).
            guard let known = filedPassword ?? configuration.defaultPassword else {
                return await refuse(transaction, deviceID: deviceID, reason: .noPassword(configuration.missingPasswordHint))
            }
            password = known
            charset = filedCharset
        }
        switch digest.verify(authorization: authorization, method: .register, password: password) {
        case .authenticated(let username):
            guard username == deviceID else {
                return await refuse(transaction, deviceID: deviceID, reason: .usernameMismatch(username))
            }
        case .staleNonce:
            return await challenge(transaction, stale: true)
        case .replayed:
            // A captured REGISTER sent again (from anywhere, maybe with Expires: 0 to take the device
            // offline): it changes nothing; a fresh challenge lets the real device answer.
            logger.warning("REGISTER with a used nonce refused", metadata: ["device": "\(deviceID)", "source": "\(transaction.source)"])
            await count { $0.replays += 1 }
            return await challenge(transaction, stale: false)
        case .invalidNonce:
            // A nonce from before a restart, or a foreign one: a fresh challenge (spec §2.3 stale unregister).
            return await challenge(transaction, stale: false)
        case .wrongPassword:
            return await refuse(transaction, deviceID: deviceID, reason: .wrongPassword)
        case .malformed(let error):
            logger.warning("malformed Authorization", metadata: ["device": "\(deviceID)", "error": "\(error)"])
            return await transaction.respond(transaction.makeResponse(statusCode: 400, reasonPhrase: "Bad Authorization"))
        }
        if expires == 0 {
            await unregister(deviceID)
            var response = transaction.makeResponse(statusCode: 200)
            response.headers.add("Expires", "0")
            return await transaction.respond(response)
        }
        guard expires >= configuration.minimumRegistrationExpiry else {
            var response = transaction.makeResponse(statusCode: 423)
            response.headers.add("Min-Expires", String(configuration.minimumRegistrationExpiry))
            return await transaction.respond(response)
        }
        let granted = min(expires, configuration.maximumRegistrationExpiry)
        let gbVersion = request.headers["X-GB-Ver"]
        let registration = DeviceRegistration(
            deviceID: deviceID, address: transaction.source, transport: transaction.transport, expires: granted,
            isRefresh: false, gbVersion: gbVersion, userAgent: request.headers["User-Agent"], time: Date())
        let outgoing = charset ?? (gbVersion.map { $0.hasPrefix("3") } == true ? .gb18030 : configuration.defaultCharset)
        let isNew = await acceptRegistration(registration, callID: request.headers.callID ?? "", charset: outgoing)
        var response = transaction.makeResponse(statusCode: 200)
        for contact in request.headers.lines("Contact") { response.headers.add("Contact", contact) }
        response.headers.add("Expires", String(granted))
        // 校时: GB devices set their clock from this (spec §1.6, [W] GbSipDate).
        response.headers.add("Date", GBDate.string(from: Date()))
        await transaction.respond(response)
        if isNew && configuration.queryCatalogOnRegister {
            Task { await self.queryAfterRegistration(deviceID) }
        }
    }

    /// spec §2.1 flow: DeviceInfo then Catalog after a first registration. Failures are logged, not fatal.
    nonisolated func queryAfterRegistration(_ deviceID: String) async {
        do {
            _ = try await deviceInfo(deviceID)
        } catch {
            logger.info("DeviceInfo after registration failed", metadata: ["device": "\(deviceID)", "error": "\(error)"])
        }
        do {
            _ = try await refreshCatalog(deviceID)
        } catch {
            logger.info("catalog after registration failed", metadata: ["device": "\(deviceID)", "error": "\(error)"])
        }
    }

    private nonisolated func challenge(_ transaction: SIPServerTransaction, stale: Bool) async {
        var response = transaction.makeResponse(statusCode: 401)
        response.headers.add("WWW-Authenticate", digest.challenge(stale: stale).headerValue)
        await count { $0.challenges += 1 }
        await transaction.respond(response)
    }

    private nonisolated func refuse(_ transaction: SIPServerTransaction, deviceID: String, reason: RegistrationRefusalReason) async {
        logger.warning("registration refused", metadata: [
            "device": "\(deviceID)", "source": "\(transaction.source)", "reason": "\(reason)",
        ])
        let refusal = RegistrationRefusal(deviceID: deviceID, source: transaction.source, transport: transaction.transport,
                                          reason: reason, time: Date())
        await recordRefusal(refusal)
        // The hint for a missing password goes to the platform's log and refusal events (the devices page),
        // not onto the wire: a Warning there would tell any prober that the code is filed.
        await transaction.respond(transaction.makeResponse(statusCode: 403, reasonPhrase: reason.sipReason))
    }

    private func recordRefusal(_ refusal: RegistrationRefusal) {
        tally.refusals += 1
        emit(.refused(refusal))
    }

    /// Stores the registration. True when the device's catalog should be (re)read: a first registration, a new
    /// Call-ID (the device restarted and may have other channels now) or a return from offline.
    private func acceptRegistration(_ registration: DeviceRegistration, callID: String, charset: OutgoingCharset) -> Bool {
        let now = ContinuousClock.now
        let expiresAt = now.advanced(by: .seconds(registration.expires))
        var event = registration
        let isNew: Bool
        if var session = devices[registration.deviceID] {
            isNew = session.registrationCallID != callID || !session.online
            session.address = registration.address
            session.transport = registration.transport
            session.registrationCallID = callID
            session.expiresAt = expiresAt
            session.lastSeen = now
            session.charset = charset
            session.gbVersion = registration.gbVersion
            devices[registration.deviceID] = session
            event.isRefresh = true
            tally.refreshes += 1
        } else {
            isNew = true
            devices[registration.deviceID] = DeviceSession(
                address: registration.address, transport: registration.transport, registrationCallID: callID,
                expiresAt: expiresAt, lastSeen: now, registeredAt: registration.time, online: false, charset: charset,
                gbVersion: registration.gbVersion)
            tally.registrations += 1
        }
        emit(.registered(event))
        setOnline(registration.deviceID, true, reason: .registered)
        return isNew
    }

    func unregister(_ deviceID: String, reason: OnlineReason = .unregistered) {
        guard devices[deviceID] != nil else { return }
        setOnline(deviceID, false, reason: reason)
        devices[deviceID] = nil
        tally.unregistrations += 1
        emit(.unregistered(deviceID: deviceID, reason: reason, time: Date()))
    }

    /// Why a code may not register at all (spec §1.1): not 20 digits, or a type that neither owns channels nor
    /// is a camera or a lower platform. nil when the shape is acceptable.
    static func registrationCodeProblem(_ deviceID: String) -> String? {
        let code: DeviceCode
        do {
            code = try DeviceCode(parsing: deviceID)
        } catch {
            return error.description
        }
        guard code.type.mayRegister else {
            return "type \(code.type.value) (\(code.type.label.en)) may not register"
        }
        return nil
    }

    /// `Expires` header, else the Contact's `expires` parameter (spec §10.1 item 1); nil when neither.
    static func requestedExpiry(_ request: SIPRequest) -> Int? {
        if let header = try? request.headers.expires() { return header }
        for contact in (try? request.headers.contacts()) ?? [] {
            if let value = contact.address?.parameters["expires"], let seconds = Int(value), seconds >= 0 { return seconds }
        }
        return nil
    }
}

extension RegistrationRefusalReason {
    /// Reason phrase of the 403. An unfiled code, a barred one and a wrong password read the same on the
    /// wire, so a prober cannot tell filed codes from others; the platform's events keep the real reason
    /// for the administrators. Only a code that is malformed (no directory lookup) is named as such.
    var sipReason: String {
        switch self {
        case .unfiled, .wrongPassword, .barred, .usernameMismatch, .noPassword: return "Forbidden"
        case .invalidCode: return "Invalid Device ID"
        }
    }
}

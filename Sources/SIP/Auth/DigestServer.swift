import Crypto
import Foundation

/// Issues and checks nonces without storing them: a nonce is the issue time plus an HMAC of that
/// time and the realm under a per-process secret, so it cannot be forged and expires on its own
/// (RFC 2617 3.2.1 suggests exactly this shape). Replays within the lifetime are caught by
/// `DigestNonceLedger`, which `DigestServer` consults after the digest matched.
public struct DigestNonceIssuer: Sendable {
    public enum Status: Sendable, Equatable {
        case valid
        /// Ours, but older than the lifetime: challenge again with `stale=true` (RFC 2617 3.2.1).
        case stale
        /// Not made by us (or by a previous process with another secret).
        case invalid
    }

    /// Raw secret bytes: SymmetricKey is not Sendable in swift-crypto 3.x, so it is rebuilt per use.
    private let secret: [UInt8]
    public var lifetime: TimeInterval

    public init(secret: [UInt8]? = nil, lifetime: TimeInterval = 300) {
        if let secret {
            self.secret = secret
        } else {
            var generator = SystemRandomNumberGenerator()
            self.secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        self.lifetime = lifetime
    }

    /// 16 hex digits of milliseconds since 1970, 16 random hex digits, then 32 hex digits of HMAC-SHA256
    /// over both. The random part makes every challenge's nonce unique: with the time alone, two devices
    /// challenged in the same millisecond got the same nonce, and the replay ledger refused the second.
    public func makeNonce(realm: String, now: Date = Date()) -> String {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var generator = SystemRandomNumberGenerator()
        let stamp = Self.hex16(millis) + Self.hex16(generator.next())
        return stamp + mac(stamp: stamp, realm: realm)
    }

    public func check(_ nonce: String, realm: String, now: Date = Date()) -> Status {
        let bytes = Array(nonce.utf8)
        guard bytes.count == 64 else { return .invalid }
        let stamp = String(decoding: bytes[0..<32], as: UTF8.self)
        let tag = String(decoding: bytes[32...], as: UTF8.self)
        guard DigestComputation.constantTimeEquals(tag, mac(stamp: stamp, realm: realm)),
              let millis = UInt64(String(decoding: bytes[0..<16], as: UTF8.self), radix: 16)
        else { return .invalid }
        let age = now.timeIntervalSince1970 - Double(millis) / 1000
        return age > lifetime ? .stale : .valid
    }

    private static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private func mac(stamp: String, realm: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array("\(stamp):\(realm)".utf8), using: SymmetricKey(data: secret))
        return DigestComputation.hex(Array(code).prefix(16))
    }
}

/// What a registrar decides about an Authorization header.
public enum DigestVerdict: Sendable, Equatable {
    case authenticated(username: String)
    /// Right password, expired nonce: send a new challenge with `stale=true`.
    case staleNonce
    /// Forged, foreign or wrong-realm nonce: send a fresh challenge.
    case invalidNonce
    /// Right digest, but this nonce (and nc) was used before: a captured header sent again. Send a fresh
    /// challenge; a real device answers it, a replaying attacker cannot.
    case replayed(username: String)
    /// The response does not match: GB platforms answer 403 ([W] "wrong password").
    case wrongPassword
    case malformed(SIPParseError)
}

/// The registrar side of digest authentication.
public struct DigestServer: Sendable {
    /// By GB convention the 10-digit SIP domain (spec 1.2, 2.2).
    public var realm: String
    public var nonces: DigestNonceIssuer
    public var offerQop: Bool
    public var opaque: String?
    /// Nonces already used; every request needs a new nonce (or, with qop, a larger nc).
    public let ledger: DigestNonceLedger

    public init(realm: String, nonces: DigestNonceIssuer = DigestNonceIssuer(), offerQop: Bool = true, opaque: String? = nil) {
        self.realm = realm
        self.nonces = nonces
        self.offerQop = offerQop
        self.opaque = opaque
        // A nonce older than the issuer's lifetime is stale and never authenticates, so it need not be
        // remembered longer.
        self.ledger = DigestNonceLedger(memory: nonces.lifetime)
    }

    public func challenge(stale: Bool = false, now: Date = Date()) -> DigestChallenge {
        DigestChallenge(realm: realm, nonce: nonces.makeNonce(realm: realm, now: now),
                        qopOptions: offerQop ? ["auth"] : [], opaque: opaque, stale: stale)
    }

    /// Checks an Authorization header value. The digest is computed with the header's own `uri=`
    /// and with or without qop as the header says (spec 2.2: devices answer both ways).
    public func verify(authorization: String, method: SIPMethod, password: String, now: Date = Date()) -> DigestVerdict {
        let credentials: DigestCredentials
        do {
            credentials = try DigestCredentials(parsing: authorization)
        } catch {
            return .malformed(error)
        }
        return verify(credentials, method: method, password: password, now: now)
    }

    public func verify(_ credentials: DigestCredentials, method: SIPMethod, password: String, now: Date = Date()) -> DigestVerdict {
        guard credentials.realm == realm else { return .invalidNonce }
        let nonceStatus = nonces.check(credentials.nonce, realm: realm, now: now)
        if nonceStatus == .invalid { return .invalidNonce }
        let expected = DigestComputation.expectedResponse(for: credentials, method: method.rawValue, password: password)
        guard DigestComputation.constantTimeEquals(expected, credentials.response.lowercased()) else {
            return .wrongPassword
        }
        if nonceStatus == .stale { return .staleNonce }
        guard ledger.accept(nonce: credentials.nonce, nonceCount: credentials.qop == nil ? nil : credentials.nonceCount, now: now) else {
            return .replayed(username: credentials.username)
        }
        return .authenticated(username: credentials.username)
    }
}

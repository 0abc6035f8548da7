import Foundation
import NIOCore
import Testing

@testable import SIP

@Suite("Digest authentication (RFC 2617, spec 2.2/2.3/7)")
struct DigestTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var username: String, realm: String, password: String, method: String, uri: String, nonce: String
        var qop: String?, nc: String?, cnonce: String?
        var ha1: String, ha2: String, response: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(name: "device, no qop", username: "34020000001320000001", realm: "3402000000", password: "12345678",
               method: "REGISTER", uri: "sip:34020000002000000001@3402000000", nonce: "9bd055f2a4e3f4d1c2b3a49586778899",
               ha1: "8258341d7dd730ce4d3b8fd2db050320", ha2: "95fced343cf76247d3e2102931f17507",
               response: "4bb0fd9b49d03eabc733da856e9c4394"),
        Vector(name: "device, qop=auth nc=1", username: "34020000001320000001", realm: "3402000000", password: "12345678",
               method: "REGISTER", uri: "sip:34020000002000000001@3402000000", nonce: "9bd055f2a4e3f4d1c2b3a49586778899",
               qop: "auth", nc: "00000001", cnonce: "0a4f113b",
               ha1: "8258341d7dd730ce4d3b8fd2db050320", ha2: "95fced343cf76247d3e2102931f17507",
               response: "7bd58b2dbc4509de33dc51bac474f6b1"),
        Vector(name: "device, qop=auth nc=2", username: "34020000001320000001", realm: "3402000000", password: "12345678",
               method: "REGISTER", uri: "sip:34020000002000000001@3402000000", nonce: "9bd055f2a4e3f4d1c2b3a49586778899",
               qop: "auth", nc: "00000002", cnonce: "0a4f113b",
               ha1: "8258341d7dd730ce4d3b8fd2db050320", ha2: "95fced343cf76247d3e2102931f17507",
               response: "651432e04e54c126dce73cea940191aa"),
        Vector(name: "cascade, no qop", username: "34020000002000000002", realm: "4401000000", password: "upper123",
               method: "REGISTER", uri: "sip:44010000002000000001@192.168.10.1:5060", nonce: "5c1f0e5a8d2b4c3e",
               ha1: "2020931837650920d6649220c9592518", ha2: "c4bb63dfc3ef8806e83485ac283d0c24",
               response: "deb473748e7cf8e483256eca51b72554"),
    ]

    @Test("spec vectors: HA1, HA2, response", arguments: vectors)
    func vector(_ v: Vector) {
        let ha1 = DigestComputation.ha1(username: v.username, realm: v.realm, password: v.password)
        let ha2 = DigestComputation.ha2(method: v.method, uri: v.uri)
        #expect(ha1 == v.ha1)
        #expect(ha2 == v.ha2)
        #expect(DigestComputation.response(ha1: ha1, nonce: v.nonce, ha2: ha2, qop: v.qop, nonceCount: v.nc, cnonce: v.cnonce) == v.response)
    }

    @Test("client answers a challenge exactly as spec REGISTER #2")
    func clientAnswerMatchesSpecHeader() throws {
        let challenge = try DigestChallenge(parsing: "Digest realm=\"3402000000\",qop=\"auth\",nonce=\"9bd055f2a4e3f4d1c2b3a49586778899\",algorithm=MD5")
        #expect(challenge.qopOptions == ["auth"])
        let credentials = DigestCredentials.answering(
            challenge, method: .register, uri: "sip:34020000002000000001@3402000000",
            username: "34020000001320000001", password: "12345678", cnonce: "0a4f113b")
        #expect(credentials.headerValue == "Digest username=\"34020000001320000001\", realm=\"3402000000\", nonce=\"9bd055f2a4e3f4d1c2b3a49586778899\", uri=\"sip:34020000002000000001@3402000000\", response=\"7bd58b2dbc4509de33dc51bac474f6b1\", algorithm=MD5, cnonce=\"0a4f113b\", qop=auth, nc=00000001")
    }

    @Test("client uses RFC 2069 form without qop, and picks auth from a qop list")
    func clientQopVariants() throws {
        let noQop = DigestChallenge(realm: "4401000000", nonce: "5c1f0e5a8d2b4c3e", qopOptions: [])
        let answer = DigestCredentials.answering(noQop, method: .register, uri: "sip:44010000002000000001@192.168.10.1:5060",
                                                 username: "34020000002000000002", password: "upper123")
        #expect(answer.response == "deb473748e7cf8e483256eca51b72554")
        #expect(answer.qop == nil && answer.cnonce == nil)
        let listed = try DigestChallenge(parsing: "Digest realm=\"r\", nonce=\"n\", qop=\"auth-int, auth\", opaque=\"o\", stale=TRUE")
        #expect(listed.qopOptions == ["auth-int", "auth"])
        #expect(listed.stale && listed.opaque == "o")
        let listedAnswer = DigestCredentials.answering(listed, method: .register, uri: "sip:x", username: "u", password: "p")
        #expect(listedAnswer.qop == "auth" && listedAnswer.opaque == "o")
    }

    @Test("client retry after 401 bumps CSeq, changes branch, adds Authorization")
    func authorizedRetry() throws {
        let parser = SIPMessageParser()
        let register = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.register1)).request)
        let challenge = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.unauthorized401)).response)
        let retry = try register.authorized(by: challenge, username: "34020000001320000001", password: "12345678", cnonce: "0a4f113b")
        #expect(try retry.headers.cseq() == CSeq(2, .register))
        #expect(try retry.headers.topVia().branch != (try register.headers.topVia().branch))
        let credentials = try DigestCredentials(parsing: try #require(retry.headers["Authorization"]))
        #expect(credentials.response == "7bd58b2dbc4509de33dc51bac474f6b1")
        #expect(retry.headers.callID == register.headers.callID)
    }

    @Test("server: challenge, verify with the header's uri=, stale, forged, wrong password")
    func serverVerification() throws {
        let now = Date(timeIntervalSince1970: 1_716_163_200)
        let server = DigestServer(realm: "3402000000", nonces: DigestNonceIssuer(secret: Array("secret".utf8), lifetime: 60))
        let challenge = server.challenge(now: now)
        #expect(challenge.headerValue.hasPrefix("Digest realm=\"3402000000\",qop=\"auth\",nonce=\""))
        #expect(challenge.headerValue.hasSuffix("\",algorithm=MD5"))
        // sipp puts its remote address in uri=, not the Request-URI: the header's uri= is what counts.
        let answer = DigestCredentials.answering(challenge, method: .register, uri: "sip:127.0.0.1:5060",
                                                 username: "34020000001320000001", password: "12345678")
        #expect(server.verify(authorization: answer.headerValue, method: .register, password: "12345678", now: now)
                == .authenticated(username: "34020000001320000001"))
        #expect(server.verify(answer, method: .register, password: "87654321", now: now) == .wrongPassword)
        #expect(server.verify(answer, method: .register, password: "12345678", now: now.addingTimeInterval(61)) == .staleNonce)
        // Two challenges in the same millisecond (80,000 devices registering) still get different nonces.
        #expect(server.challenge(now: now).headerValue != server.challenge(now: now).headerValue)
        let stale = server.challenge(stale: true, now: now)
        #expect(stale.headerValue.contains(",stale=true,"))

        var forged = answer
        forged.nonce = "0000018f94a3c40000000000000000000000000000000000"
        #expect(server.verify(forged, method: .register, password: "12345678", now: now) == .invalidNonce)
        let otherProcess = DigestServer(realm: "3402000000", nonces: DigestNonceIssuer(secret: Array("other".utf8)))
        #expect(otherProcess.verify(answer, method: .register, password: "12345678", now: now) == .invalidNonce)

        let noQop = DigestServer(realm: "3402000000", nonces: DigestNonceIssuer(secret: Array("secret".utf8)), offerQop: false)
        let oldStyle = DigestCredentials.answering(noQop.challenge(now: now), method: .register, uri: "sip:34020000002000000001@3402000000",
                                                   username: "34020000001320000001", password: "12345678")
        #expect(oldStyle.qop == nil)
        #expect(server.verify(oldStyle, method: .register, password: "12345678", now: now) == .authenticated(username: "34020000001320000001"))
    }

    @Test("a captured Authorization is refused when sent again; qop answers need a larger nc")
    func replayedAuthorization() throws {
        let now = Date(timeIntervalSince1970: 1_716_163_200)
        let server = DigestServer(realm: "3402000000", nonces: DigestNonceIssuer(secret: Array("secret".utf8), lifetime: 60))
        let user = "34020000001320000001"
        var answer = DigestCredentials.answering(server.challenge(now: now), method: .register, uri: "sip:34020000002000000001@3402000000",
                                                 username: user, password: "12345678")
        #expect(answer.qop == "auth")
        #expect(server.verify(answer, method: .register, password: "12345678", now: now) == .authenticated(username: user))
        // The same header from an attacker's socket a second later: refused, whatever it asks.
        #expect(server.verify(answer, method: .register, password: "12345678", now: now + 1) == .replayed(username: user))
        // The device itself may reuse the nonce with the next nc (RFC 2617 3.2.2), recomputing the response.
        answer.nonceCount = "00000002"
        answer.response = DigestComputation.expectedResponse(for: answer, method: "REGISTER", password: "12345678")
        #expect(server.verify(answer, method: .register, password: "12345678", now: now + 2) == .authenticated(username: user))
        #expect(server.verify(answer, method: .register, password: "12345678", now: now + 3) == .replayed(username: user))
        answer.nonceCount = "00000001"
        answer.response = DigestComputation.expectedResponse(for: answer, method: "REGISTER", password: "12345678")
        #expect(server.verify(answer, method: .register, password: "12345678", now: now + 4) == .replayed(username: user))

        // Without qop a nonce is good once.
        let noQop = DigestServer(realm: "3402000000", nonces: DigestNonceIssuer(secret: Array("secret".utf8)), offerQop: false)
        let oldStyle = DigestCredentials.answering(noQop.challenge(now: now), method: .register, uri: "sip:34020000002000000001@3402000000",
                                                   username: user, password: "12345678")
        #expect(noQop.verify(oldStyle, method: .register, password: "12345678", now: now) == .authenticated(username: user))
        #expect(noQop.verify(oldStyle, method: .register, password: "12345678", now: now + 1) == .replayed(username: user))
        // A wrong password is not recorded: it spends nothing.
        let fresh = DigestCredentials.answering(noQop.challenge(now: now), method: .register, uri: "sip:34020000002000000001@3402000000",
                                                username: user, password: "12345678")
        #expect(noQop.verify(fresh, method: .register, password: "wrong", now: now) == .wrongPassword)
        #expect(noQop.verify(fresh, method: .register, password: "12345678", now: now) == .authenticated(username: user))
    }

    @Test("the nonce ledger forgets a nonce only after it could no longer authenticate")
    func ledgerMemory() {
        let now = Date(timeIntervalSince1970: 1_716_163_200)
        let ledger = DigestNonceLedger(memory: 60)
        #expect(ledger.accept(nonce: "n1", nonceCount: nil, now: now))
        #expect(!ledger.accept(nonce: "n1", nonceCount: nil, now: now + 59))
        #expect(!ledger.accept(nonce: "n1", nonceCount: "zz", now: now))
        for index in 0..<5_000 { _ = ledger.accept(nonce: "bulk\(index)", nonceCount: nil, now: now + 61) }
        // Pruned on the way (every 4,096 inserts): n1 is past its memory, the bulk entries are not.
        #expect(ledger.count == 5_000)
    }

    @Test("malformed Authorization headers are reported, not trusted")
    func malformedAuthorization() {
        let server = DigestServer(realm: "3402000000")
        for header in ["Basic dXNlcjpwYXNz", "Digest username=\"a\"", "Digest username=\"a, realm=\"b\"", "Digest qop=auth, username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\""] {
            guard case .malformed(let error) = server.verify(authorization: header, method: .register, password: "p") else {
                Issue.record("\(header) should be malformed")
                continue
            }
            #expect(error.description.contains("Authorization"))
        }
    }
}

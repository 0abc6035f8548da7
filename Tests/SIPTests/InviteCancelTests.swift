import Foundation
import NIOCore
import Testing

@testable import SIP

/// INVITE client transactions with a TU-driven end: Timer B stops in Proceeding (RFC 3261 17.1.1.2),
/// `cancelInvite` sends CANCEL only after a provisional (9.1) and destroys the INVITE 64 × T1 later
/// when no final response comes.
@Suite("INVITE client transaction and CANCEL over real UDP sockets", .serialized, .timeLimit(.minutes(1)))
struct InviteCancelTests {
    static let fast = SIPTimerConfiguration(t1: .milliseconds(10), t2: .milliseconds(40), t4: .milliseconds(50))

    private func withLayer(_ body: (SIPTransactionLayer, RawUDPPeer) async throws -> Void) async throws {
        try await withSIPLayer(timers: Self.fast, body)
    }

    private func invite(to peer: RawUDPPeer) -> SIPRequest {
        var request = SIPRequest(method: .invite, uri: SIPURI(user: "34020000001310000001", host: "127.0.0.1", port: peer.port))
        request.headers.add("Via", Via(transport: "UDP", host: "127.0.0.1", port: 5060, branch: SIPIdentifiers.branch()).description)
        request.headers.add("From", "<sip:34020000002000000001@3402000000>;tag=\(SIPIdentifiers.tag())")
        request.headers.add("To", "<sip:34020000001310000001@3402000000>")
        request.headers.add("Call-ID", SIPIdentifiers.callID())
        request.headers.add("CSeq", CSeq(20, .invite).description)
        request.headers.add("Contact", "<sip:34020000002000000001@127.0.0.1:5060>")
        request.headers.add("Max-Forwards", "70")
        return request
    }

    /// The next request of `method` the peer receives, skipping retransmissions and other messages.
    private func next(_ method: SIPMethod, at peer: RawUDPPeer, timeout: Duration = .seconds(3)) async throws -> SIPRequest? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let message = try await peer.nextMessage(timeout: deadline - ContinuousClock.now) else { return nil }
            if let request = message.request, request.method == method { return request }
        }
        return nil
    }

    private func reply(_ request: SIPRequest, _ code: Int, toTag: String? = nil, via peer: RawUDPPeer, to layer: SIPTransactionLayer) async throws {
        try await peer.send(String(buffer: SIPResponse(replyingTo: request, statusCode: code, toTag: toTag).bytes),
                            to: layer.transport.localAddress)
    }

    @Test("a provisional stops Timer B; cancelInvite sends CANCEL (same branch) and the 487 ends the INVITE")
    func cancelAfterProvisional() async throws {
        try await withLayer { layer, peer in
            let request = invite(to: peer)
            let pending = Task { try await layer.sendRequest(request, to: peer.address, transport: .udp) }
            let received = try #require(try await next(.invite, at: peer))
            try await reply(received, 100, via: peer, to: layer)
            // Well past 64 × T1 (640 ms): an INVITE in Proceeding must still be waiting.
            try await Task.sleep(for: .seconds(1))
            #expect(await layer.activeTransactionCount.client == 1)
            #expect(await layer.cancelInvite(request))
            let cancel = try #require(try await next(.cancel, at: peer))
            #expect(try cancel.headers.topVia().branch == (try request.headers.topVia().branch))
            #expect(try cancel.headers.cseq() == CSeq(20, .cancel))
            try await reply(cancel, 200, via: peer, to: layer)
            try await reply(received, 487, toTag: "t487", via: peer, to: layer)
            #expect(try await pending.value.statusCode == 487)
            #expect(try await next(.ack, at: peer) != nil)
        }
    }

    @Test("cancelInvite before any provisional waits for one before sending CANCEL")
    func cancelWaitsForProvisional() async throws {
        try await withLayer { layer, peer in
            let request = invite(to: peer)
            let pending = Task { try await layer.sendRequest(request, to: peer.address, transport: .udp) }
            let received = try #require(try await next(.invite, at: peer))
            #expect(await layer.cancelInvite(request))
            // Only INVITE retransmissions so far, no CANCEL.
            #expect(try await next(.cancel, at: peer, timeout: .milliseconds(150)) == nil)
            try await reply(received, 100, via: peer, to: layer)
            let cancel = try #require(try await next(.cancel, at: peer))
            try await reply(cancel, 200, via: peer, to: layer)
            // A 2xx that crossed the CANCEL still reaches the caller (the TU ACKs and BYEs it).
            try await reply(received, 200, toTag: "late", via: peer, to: layer)
            #expect(try await pending.value.statusCode == 200)
        }
    }

    @Test("no final response 64 × T1 after the CANCEL: the INVITE transaction ends with a timeout")
    func cancelWithoutFinal() async throws {
        try await withLayer { layer, peer in
            let request = invite(to: peer)
            let pending = Task { try await layer.sendRequest(request, to: peer.address, transport: .udp) }
            let received = try #require(try await next(.invite, at: peer))
            try await reply(received, 180, toTag: "ring", via: peer, to: layer)
            #expect(await layer.cancelInvite(request))
            let cancel = try #require(try await next(.cancel, at: peer))
            try await reply(cancel, 200, via: peer, to: layer)
            await #expect(throws: SIPTransactionError.timeout(method: "INVITE", after: .milliseconds(640))) {
                try await pending.value
            }
            let stillPending = await layer.cancelInvite(request)
            #expect(!stillPending)
        }
    }

    @Test("cancelInvite of an answered or unknown INVITE returns false")
    func cancelAnswered() async throws {
        try await withLayer { layer, peer in
            let request = invite(to: peer)
            #expect(await layer.cancelInvite(request) == false)
            let pending = Task { try await layer.sendRequest(request, to: peer.address, transport: .udp) }
            let received = try #require(try await next(.invite, at: peer))
            try await reply(received, 486, toTag: "busy", via: peer, to: layer)
            #expect(try await pending.value.statusCode == 486)
            #expect(await layer.cancelInvite(request) == false)
        }
    }
}

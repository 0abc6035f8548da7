import Foundation
import NIOCore
import Testing

@testable import SIP

@Suite("Transactions over real UDP sockets (small T1)", .serialized, .timeLimit(.minutes(1)))
struct TransactionTests {
    static let fast = SIPTimerConfiguration(t1: .milliseconds(20), t2: .milliseconds(80), t4: .milliseconds(100))

    private func withLayer(
        timers: SIPTimerConfiguration = fast,
        handler: @escaping @Sendable (SIPServerTransaction) async -> Void = { _ in },
        _ body: (SIPTransactionLayer, RawUDPPeer) async throws -> Void
    ) async throws {
        try await withSIPLayer(timers: timers, handler: handler, body)
    }

    private func request(_ method: SIPMethod, peer: RawUDPPeer, branch: String = SIPIdentifiers.branch(), cseq: UInt32 = 1) -> SIPRequest {
        var request = SIPRequest(method: method, uri: SIPURI(user: "34020000001320000001", host: "127.0.0.1", port: peer.port))
        request.headers.add("Via", Via(transport: "UDP", host: "127.0.0.1", port: 5060, branch: branch).description)
        request.headers.add("From", "<sip:34020000002000000001@3402000000>;tag=\(SIPIdentifiers.tag())")
        request.headers.add("To", "<sip:34020000001320000001@3402000000>")
        request.headers.add("Call-ID", SIPIdentifiers.callID())
        request.headers.add("CSeq", CSeq(cseq, method).description)
        request.headers.add("Contact", "<sip:34020000002000000001@127.0.0.1:5060>")
        request.headers.add("Max-Forwards", "70")
        return request
    }

    @Test("server non-INVITE: retransmitted request is absorbed and answered with the stored response")
    func serverAbsorbsRetransmission() async throws {
        let seen = Inbox<SIPRequest>()
        try await withLayer(handler: { transaction in
            await seen.append(transaction.request)
            try? await Task.sleep(for: .milliseconds(50))  // a retransmission arrives while we think
            await transaction.respond(transaction.makeResponse(statusCode: 200, toTag: "fixed"))
        }) { layer, peer in
            let message = TestRequests.message()
            let server = layer.transport.localAddress
            try await peer.send(message, to: server)
            try await peer.send(message, to: server)
            let first = try #require(try await peer.nextMessage()?.response)
            #expect(first.statusCode == 200)
            try await peer.send(message, to: server)
            let second = try #require(try await peer.nextMessage()?.response)
            #expect(second.bytes == first.bytes)
            #expect(await seen.count == 1)
        }
    }

    /// sipp's keepalive loop (and some cameras) reuse one branch for every MESSAGE: a new CSeq
    /// is a new request, not a retransmission to be answered with the previous 200.
    @Test("a reused branch with a new CSeq starts a new transaction")
    func reusedBranchNewCSeq() async throws {
        let seen = Inbox<SIPRequest>()
        try await withLayer(handler: { transaction in
            await seen.append(transaction.request)
            await transaction.respond(transaction.makeResponse(statusCode: 200))
        }) { layer, peer in
            let first = TestRequests.message(branch: "z9hG4bK-sipp-1-10")
            let second = first.replacingOccurrences(of: "CSeq: 20 MESSAGE", with: "CSeq: 21 MESSAGE")
            try await peer.send(first, to: layer.transport.localAddress)
            #expect(try await peer.nextMessage()?.response?.headers.cseq().sequence == 20)
            try await peer.send(second, to: layer.transport.localAddress)
            #expect(try await peer.nextMessage()?.response?.headers.cseq().sequence == 21)
            #expect(await seen.count == 2)
        }
    }

    /// SIPp's out-of-call answers reuse branch, Call-ID and CSeq for every query response: a second
    /// response with another body is a new request, not a retransmission of the first.
    @Test("a reused branch, Call-ID and CSeq with another body starts a new transaction")
    func reusedBranchNewBody() async throws {
        let seen = Inbox<SIPRequest>()
        try await withLayer(handler: { transaction in
            await seen.append(transaction.request)
            await transaction.respond(transaction.makeResponse(statusCode: 200))
        }) { layer, peer in
            let first = TestRequests.message(branch: "z9hG4bK-22039-0-9", body: "<Response><SN>1</SN></Response>")
            let second = first.replacingOccurrences(of: "<SN>1</SN>", with: "<SN>2</SN>")
            try await peer.send(first, to: layer.transport.localAddress)
            #expect(try await peer.nextMessage()?.response?.statusCode == 200)
            try await peer.send(second, to: layer.transport.localAddress)
            #expect(try await peer.nextMessage()?.response?.statusCode == 200)
            try await peer.send(second, to: layer.transport.localAddress)  // a true retransmission
            #expect(try await peer.nextMessage()?.response?.statusCode == 200)
            #expect(await seen.all.map(\.bodyText) == ["<Response><SN>1</SN></Response>", "<Response><SN>2</SN></Response>"])
        }
    }

    @Test("client non-INVITE retransmits (Timer E) until answered")
    func clientRetransmitsUntilAnswered() async throws {
        try await withLayer { layer, peer in
            let request = request(.message, peer: peer)
            let pending = Task { try await layer.sendRequest(request, to: peer.address, transport: .udp) }
            var copies: [SIPRequest] = []
            while copies.count < 3, let copy = try await peer.nextMessage()?.request { copies.append(copy) }
            #expect(copies.count == 3)
            #expect(Set(copies.map { try? $0.headers.topVia().branch }).count == 1)
            let answer = SIPResponse(replyingTo: copies[0], statusCode: 200)
            try await peer.send(String(buffer: answer.bytes), to: layer.transport.localAddress)
            let response = try await pending.value
            #expect(response.statusCode == 200)
        }
    }

    @Test("client non-INVITE times out with Timer F = 64 × T1")
    func clientTimerF() async throws {
        let timers = SIPTimerConfiguration(t1: .milliseconds(10), t2: .milliseconds(40), t4: .milliseconds(50))
        try await withLayer(timers: timers) { layer, peer in
            let start = ContinuousClock.now
            await #expect(throws: SIPTransactionError.timeout(method: "MESSAGE", after: .milliseconds(640))) {
                try await layer.sendRequest(request(.message, peer: peer), to: peer.address, transport: .udp)
            }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(600) && elapsed < .seconds(5))
            // Timer E doubles from 10 ms: 6 sends in 640 ms on an idle machine; a loaded one may fire
            // fewer, but a retransmission must have happened.
            #expect(await peer.inbox.count >= 2)
            #expect(await layer.activeTransactionCount.client == 0)
        }
    }

    @Test("client INVITE: provisional observed, non-2xx final ACKed with the INVITE's branch")
    func clientInviteRejected() async throws {
        try await withLayer { layer, peer in
            let invite = request(.invite, peer: peer, cseq: 20)
            let provisional = Inbox<Int>()
            let pending = Task {
                try await layer.sendRequest(invite, to: peer.address, transport: .udp) { response in
                    Task { await provisional.append(response.statusCode) }
                }
            }
            let received = try #require(try await peer.nextMessage()?.request)
            let server = layer.transport.localAddress
            try await peer.send(String(buffer: SIPResponse(replyingTo: received, statusCode: 100).bytes), to: server)
            let busy = SIPResponse(replyingTo: received, statusCode: 486, toTag: "busy1")
            try await peer.send(String(buffer: busy.bytes), to: server)
            #expect(try await pending.value.statusCode == 486)
            #expect(await provisional.next() == 100)
            var ack: SIPRequest?
            while ack == nil, let next = try await peer.nextMessage() {
                if next.request?.method == .ack { ack = next.request }
            }
            let sentACK = try #require(ack)
            #expect(try sentACK.headers.topVia().branch == (try invite.headers.topVia().branch))
            #expect(try sentACK.headers.cseq() == CSeq(20, .ack))
            #expect(try sentACK.headers.to().tag == "busy1")
            // A retransmitted 486 is absorbed and ACKed again (Timer D).
            try await peer.send(String(buffer: busy.bytes), to: server)
            #expect(try await peer.nextMessage()?.request?.method == .ack)
        }
    }

    @Test("server INVITE: 100 Trying at once, 2xx retransmitted until the ACK arrives")
    func serverInvite() async throws {
        let acks = Inbox<SIPRequest>()
        try await withLayer(handler: { transaction in
            if transaction.request.method == .ack {
                await acks.append(transaction.request)
                return
            }
            var ok = transaction.makeResponse(statusCode: 200, toTag: "dev77321")
            ok.headers.add("Contact", "<sip:34020000001310000001@127.0.0.1:5060>")
            await transaction.respond(ok)
        }) { layer, peer in
            let server = layer.transport.localAddress
            try await peer.send(SpecWire.crlf(SpecWire.invite), to: server)
            #expect(try await peer.nextMessage()?.response?.statusCode == 100)
            var oks: [SIPResponse] = []
            while oks.count < 3, let next = try await peer.nextMessage()?.response { oks.append(next) }
            #expect(oks.map(\.statusCode) == [200, 200, 200])
            let ok = try #require(oks.first)
            let invite = try #require(try SIPMessageParser().parse(datagram: SpecWire.bytes(SpecWire.invite)).request)
            var dialog = try SIPDialog(uacRequest: invite, response: ok)
            let ack = dialog.acknowledgement(inviteSequence: 20, via: Via(transport: "UDP", host: "192.168.1.10", port: 5060, branch: nil))
            try await peer.send(String(buffer: ack.bytes), to: server)
            #expect(await acks.next()?.method == .ack)
            try await Task.sleep(for: .milliseconds(300))
            let before = await peer.inbox.count
            try await Task.sleep(for: .milliseconds(300))
            #expect(await peer.inbox.count == before)
            _ = dialog.nextRequest(.bye, via: Via(transport: "UDP", host: "192.168.1.10", port: 5060, branch: nil))
            #expect(dialog.localSequence == 21)
        }
    }

    @Test("CANCEL: 200 to the CANCEL, 487 to the pending INVITE")
    func serverCancel() async throws {
        let cancelled = Inbox<Bool>()
        try await withLayer(handler: { transaction in
            try? await Task.sleep(for: .milliseconds(200))
            await cancelled.append(await transaction.isCancelled)
            await transaction.respond(transaction.makeResponse(statusCode: 200))  // too late: ignored
        }) { layer, peer in
            let server = layer.transport.localAddress
            let invite = try #require(try SIPMessageParser().parse(datagram: SpecWire.bytes(SpecWire.invite)).request)
            try await peer.send(String(buffer: invite.bytes), to: server)
            #expect(try await peer.nextMessage()?.response?.statusCode == 100)
            try await peer.send(String(buffer: invite.cancelRequest().bytes), to: server)
            var codes: [Int: String] = [:]
            while codes.count < 2, let response = try await peer.nextMessage()?.response {
                codes[response.statusCode] = try response.headers.cseq().method.rawValue
            }
            #expect(codes == [200: "CANCEL", 487: "INVITE"])
            #expect(await cancelled.next() == true)
            let stray = SIPRequest(method: .cancel, uri: invite.uri, headers: invite.cancelRequest().headers)
            var orphan = stray
            var via = try orphan.headers.topVia()
            via.branch = SIPIdentifiers.branch()
            orphan.headers.setTopVia(via)
            try await peer.send(String(buffer: orphan.bytes), to: server)
            // The 487 is retransmitted (Timer G) since nobody ACKs it here: skip those.
            var orphanAnswer: SIPResponse?
            while orphanAnswer == nil, let response = try await peer.nextMessage()?.response {
                if try response.headers.cseq().method == .cancel { orphanAnswer = response }
            }
            #expect(orphanAnswer?.statusCode == 481)
        }
    }
}

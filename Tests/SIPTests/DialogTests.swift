import Foundation
import NIOCore
import Testing

@testable import SIP

@Suite("Dialogs: in-dialog requests from the spec's INVITE and SUBSCRIBE flows")
struct DialogTests {
    let parser = SIPMessageParser()
    let platformVia = Via(transport: "UDP", host: "192.168.1.10", port: 5060, branch: nil)

    private func withBranch(_ text: String, _ branch: String) -> String {
        text.replacingOccurrences(of: "z9hG4bK520199999", with: branch).replacingOccurrences(of: "z9hG4bK520277777", with: branch)
    }

    @Test("UAC dialog from INVITE + 200 builds the spec's ACK and BYE")
    func uacAckAndBye() throws {
        let invite = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.invite)).request)
        let ok = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.inviteOK)).response)
        var dialog = try SIPDialog(uacRequest: invite, response: ok)
        #expect(dialog.id == SIPDialog.ID(callID: "c1d2e3f4a5b6@192.168.1.10", localTag: "play0001", remoteTag: "dev77321"))
        #expect(dialog.remoteTarget.description == "sip:34020000001310000001@192.168.1.64:5060")
        let ack = dialog.acknowledgement(inviteSequence: 20, via: platformVia)
        let ackBranch = try #require(try ack.headers.topVia().branch)
        #expect(String(buffer: ack.bytes) == withBranch(SpecWire.crlf(SpecWire.ack), ackBranch))
        let bye = dialog.nextRequest(.bye, via: platformVia)
        let byeBranch = try #require(try bye.headers.topVia().branch)
        #expect(byeBranch != ackBranch && byeBranch.hasPrefix("z9hG4bK"))
        #expect(String(buffer: bye.bytes) == withBranch(SpecWire.crlf(SpecWire.bye), byeBranch))
        let info = dialog.nextRequest(.info, via: platformVia, body: ByteBuffer(string: "PLAY MANSRTSP/1.0\r\nCSeq: 3\r\nScale: 2.0\r\n"),
                                      contentType: "Application/MANSRTSP")
        #expect(try info.headers.cseq() == CSeq(22, .info))
        #expect(try info.headers.contentLength() == nil)
        #expect(try parser.parse(datagram: info.bytes).headers.contentLength() == 40)
    }

    @Test("SUBSCRIBE dialogs on both sides, NOTIFY routed by the store, CSeq order checked")
    func subscribeDialogs() async throws {
        let subscribe = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.subscribe)).request)
        let ok = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.subscribeOK)).response)
        let notify = try #require(try parser.parse(datagram: SpecWire.bytes(SpecWire.notify)).request)

        let platform = try SIPDialog(uacRequest: subscribe, response: ok)
        let store = SIPDialogStore()
        await store.insert(platform)
        let found = try #require(await store.dialog(forIncoming: notify))
        #expect(found.id == platform.id)
        #expect(await store.dialog(forResponse: ok)?.id == platform.id)
        let accepted = try await store.update(platform.id) { dialog in try dialog.acceptRemoteSequence(of: notify) }
        #expect(accepted == true)
        var stale = notify
        stale.headers.setCSeq(CSeq(1, .notify))
        #expect(try await store.update(platform.id) { dialog in try dialog.acceptRemoteSequence(of: stale) } == false)

        var device = try SIPDialog(uasRequest: subscribe, response: ok)
        #expect(device.id == SIPDialog.ID(callID: "5b5b5b5b@192.168.1.10", localTag: "devsub9", remoteTag: "sub0001"))
        device.localSequence = 1
        var built = device.nextRequest(.notify, via: Via(transport: "UDP", host: "192.168.1.64", port: 5060, branch: nil))
        built.headers.add("Event", "Catalog;id=5")
        #expect(built.uri.description == "sip:34020000002000000001@192.168.1.10:5060")
        #expect(try built.headers.cseq() == CSeq(2, .notify))
        #expect(try built.headers.from() == (try notify.headers.from()))
        #expect(try built.headers.to() == (try notify.headers.to()))
        #expect(await store.remove(platform.id) != nil)
        #expect(await store.count == 0)
    }
}

import Foundation
import NIOCore
import Testing

@testable import SIP

/// Every RFC 4475 torture message, parsed as one UDP datagram and validated, against the
/// expectation in peers/rfc4475/MANIFEST.tsv.
@Suite("RFC 4475 torture messages")
struct RFC4475Tests {
    enum Expectation: Equatable {
        case accepted
        case refused(status: Int?)
        case either
    }

    /// valid/compat/transaction must parse and validate; invalid must be refused (baddate
    /// "may be processed"); semantic cases whose summary starts with a 400/416 are refused with
    /// that status, the others are for the request handler above this layer and must parse.
    static func expectation(for row: SharedFixtures.ManifestRow) -> Expectation {
        let code = [400, 416, 505].first { row.summary.contains(String($0)) }
        switch row.kind {
        case "valid", "compat", "transaction":
            return .accepted
        case "invalid":
            return row.summary.hasPrefix("may be processed") ? .either : .refused(status: code)
        case "semantic":
            return row.summary.hasPrefix("400") || row.summary.hasPrefix("416") ? .refused(status: code) : .accepted
        default:
            // "extra" (test.dat: no SIP version on the request line) only has to be survived.
            return .either
        }
    }

    static func parseAndValidate(_ row: SharedFixtures.ManifestRow) throws -> Result<SIPMessage, SIPParseError> {
        let buffer = try SharedFixtures.bytes(SharedFixtures.rfc4475Directory.appendingPathComponent("messages/\(row.file)"))
        do {
            let message = try SIPMessageParser().parse(datagram: buffer)
            try message.validate()
            return .success(message)
        } catch {
            return .failure(error)
        }
    }

    @Test func manifestCoversEveryMessageFile() throws {
        let files = try FileManager.default.contentsOfDirectory(
            atPath: SharedFixtures.rfc4475Directory.appendingPathComponent("messages").path)
        #expect(Set(files.filter { $0.hasSuffix(".dat") }) == Set(SharedFixtures.rfc4475Manifest.map(\.file)))
        #expect(SharedFixtures.rfc4475Manifest.count == 50)
    }

    @Test("handled as the manifest says", .timeLimit(.minutes(1)), arguments: SharedFixtures.rfc4475Manifest)
    func manifestExpectation(row: SharedFixtures.ManifestRow) throws {
        let result = try Self.parseAndValidate(row)
        switch (Self.expectation(for: row), result) {
        case (.accepted, .failure(let error)):
            Issue.record("\(row.file) should parse but was refused: \(error)")
        case (.refused, .success):
            Issue.record("\(row.file) should be refused (\(row.summary)) but parsed")
        case (.refused(let status?), .failure(let error)):
            #expect(error.suggestedStatus == status, "\(row.file): \(error)")
            #expect(!error.description.isEmpty)
        default:
            break
        }
    }

    private func accepted(_ file: String) throws -> SIPMessage {
        let row = try #require(SharedFixtures.rfc4475Manifest.first { $0.file == file })
        return try Self.parseAndValidate(row).get()
    }

    private func refusal(_ file: String) throws -> SIPParseError? {
        let row = try #require(SharedFixtures.rfc4475Manifest.first { $0.file == file })
        if case .failure(let error) = try Self.parseAndValidate(row) { return error }
        return nil
    }

    @Test func wsinvFoldingAndLWS() throws {
        let request = try #require(try accepted("wsinv.dat").request)
        #expect(try request.headers.to().tag == "1918181833n")
        let from = try request.headers.from()
        #expect(from.displayName == "J Rosenberg \\\"")
        #expect(from.tag == "98asjd8")
        #expect(try request.headers.maxForwards() == 68)
        #expect(try request.headers.cseq() == CSeq(9, .invite))
        let vias = try request.headers.vias()
        #expect(vias.map(\.transport) == ["UDP", "TCP", "UDP"])
        #expect(vias.map(\.host) == ["192.0.2.2", "spindle.example.com", "192.168.255.111"])
        #expect(vias[2].branch == "z9hG4bK30239")
        #expect(request.headers["NewFangledHeader"] == "newfangled value continued newfangled value")
        #expect(request.headers["Subject"] == "")
        let contact = try #require(try request.headers.contact())
        #expect(contact.displayName == "Quoted string \"\"")
        #expect(contact.parameters["newparam"] == "newvalue")
        #expect(contact.parameters["q"] == "0.33")
        #expect(request.body.readableBytes == 150)
    }

    @Test func unusualTokensAndEscapes() throws {
        let intmeth = try #require(try accepted("intmeth.dat").request)
        #expect(intmeth.method.rawValue == "!interesting-Method0123456789_*+`.%indeed'~")
        #expect(intmeth.uri.user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*")
        #expect(intmeth.uri.host == "example.com")
        #expect(try intmeth.headers.to().displayName == "BEL:\u{07} NUL:\u{00} DEL:\u{7F}")
        let esc02 = try #require(try accepted("esc02.dat").request)
        #expect(esc02.method.rawValue == "RE%47IST%45R" && esc02.method != .register)
        #expect(esc02.headers.values("Contact").count == 2)
        let esc01 = try #require(try accepted("esc01.dat").request)
        #expect(try esc01.headers.to().uri.decodedUser == "user")
        let escnull = try #require(try accepted("escnull.dat").request)
        #expect(try escnull.headers.to().uri.decodedUser == "null-\u{00}-null")
        let semiuri = try #require(try accepted("semiuri.dat").request)
        #expect(semiuri.uri.user == "user;par=u%40example.net")
        #expect(semiuri.headers.values("Accept").count == 6)
    }

    @Test func datagramFramingCases() throws {
        let dblreq = try #require(try accepted("dblreq.dat").request)
        #expect(dblreq.method == .register && dblreq.body.readableBytes == 0)
        let inv2543 = try #require(try accepted("inv2543.dat").request)
        #expect(inv2543.body.readableBytes > 0)
        #expect(String(buffer: inv2543.body).hasPrefix("v=0"))
        guard case .bodyTruncated(declared: 9999, available: let available)? = try refusal("clerr.dat") else {
            Issue.record("clerr.dat must be refused as truncated")
            return
        }
        #expect(available < 9999)
        #expect(try refusal("ncl.dat") == .invalidContentLength("-999"))
        #expect(try refusal("mcl01.dat") == .conflictingContentLength(["13", "5"]))
    }

    @Test func responsesAndVias() throws {
        #expect(try accepted("unreason.dat").response?.statusCode == 200)
        let noreason = try #require(try accepted("noreason.dat").response)
        #expect(noreason.statusCode == 100 && noreason.reasonPhrase.isEmpty)
        let transports = try #require(try accepted("transports.dat").request)
        #expect(try transports.headers.vias().map(\.transport) == ["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"])
        let badbranch = try #require(try accepted("badbranch.dat").request)
        #expect(try badbranch.headers.topVia().hasRFC3261Branch == false)
        let lwsdisp = try #require(try accepted("lwsdisp.dat").request)
        #expect(try lwsdisp.headers.from().displayName == "caller")
        let longreq = try #require(try accepted("longreq.dat").request)
        #expect(try longreq.headers.vias().count > 10)
    }

    @Test func refusalsSayWhatIsWrong() throws {
        #expect(try refusal("badvers.dat") == .unsupportedVersion("SIP/7.0"))
        #expect(try refusal("mismatch01.dat") == .cseqMethodMismatch(requestMethod: "OPTIONS", cseqMethod: "INVITE"))
        #expect(try refusal("unkscm.dat") == .unsupportedURIScheme("nobodyknowsthisscheme"))
        #expect(try refusal("insuf.dat") == .missingHeader("From"))
        #expect(try refusal("multi01.dat") == .multipleValues(header: "From", count: 2))
        let quotbal = try #require(try refusal("quotbal.dat"))
        #expect(quotbal.description.contains("To header"))
        let bigcode = try #require(try refusal("bigcode.dat"))
        #expect(bigcode.description.contains("three digits"))
    }
}

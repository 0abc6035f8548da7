import Testing
@testable import GB28181

/// Spec §5.2 Subject and §5.3 SSRC rule, examples and allocator.
struct SSRCAndSubjectTests {
    @Test("§5.3 examples", arguments: [
        ("0200000001", GBSSRC.Kind.live, UInt32(200_000_001), UInt32(0x0BEB_C201)),
        ("1200000001", .historical, 1_200_000_001, 0x4786_8C01),
    ])
    func examples(text: String, kind: GBSSRC.Kind, value: UInt32, wire: UInt32) throws {
        let ssrc = try #require(GBSSRC(parsing: text))
        #expect(ssrc.kind == kind)
        #expect(ssrc.domainDigits == "20000")
        #expect(ssrc.sequence == 1)
        #expect(ssrc.value == value)
        #expect(ssrc.value == wire)
        #expect(ssrc.description == text)
    }

    @Test func domainDigitsComeFromDigitsFourToEight() {
        #expect(GBSSRC.domainDigits(of: "34020000002000000001") == "20000")
        #expect(GBSSRC.domainDigits(of: "3402000000") == "20000")
        #expect(GBSSRC.domainDigits(of: "13010000002000000001") == "10000")
        #expect(GBSSRC.domainDigits(of: "1234567") == nil)
        #expect(GBSSRC.domainDigits(of: "34O2000000") == nil)
    }

    @Test func largestSSRCFitsIn32Bits() throws {
        let largest = try GBSSRC(kind: .historical, domainDigits: "99999", sequence: 9999)
        #expect(largest.description == "1999999999")
        #expect(largest.value == 1_999_999_999)
    }

    @Test("invalid y= values are not GB SSRCs", arguments: ["", "020000001", "2200000001", "02000000011", "0x00000001"])
    func invalid(text: String) {
        #expect(GBSSRC(parsing: text) == nil)
    }

    @Test func constructionIsValidated() {
        #expect(throws: SSRCError.invalidDomainDigits("2000")) { try GBSSRC(kind: .live, domainDigits: "2000", sequence: 1) }
        #expect(throws: SSRCError.sequenceOutOfRange(10_000)) { try GBSSRC(kind: .live, domainDigits: "20000", sequence: 10_000) }
    }

    @Test func allocatorHandsOutDistinctLeasesAndTakesThemBack() throws {
        var allocator = try SSRCAllocator(domainID: "34020000002000000001")
        let live = try allocator.allocate(.live)
        let playback = try allocator.allocate(.historical)
        #expect(live.description == "0200000001")
        #expect(playback.description == "1200000002")
        #expect(allocator.contains(live) && allocator.contains(playback))
        #expect(allocator.count == 2)
        let released = allocator.release(live)
        #expect(released)
        let releasedAgain = allocator.release(live)
        #expect(!releasedAgain, "double release is reported")
        #expect(!allocator.contains(live))
        // Round-robin: the released number is not handed out again at once.
        let nextSequence = try allocator.allocate(.live).sequence
        #expect(nextSequence == 3)
    }

    @Test func allocatorIsBounded() throws {
        var allocator = try SSRCAllocator(domainID: "3402000000", capacity: 3)
        let leases = try (0..<3).map { _ in try allocator.allocate(.live) }
        #expect(throws: SSRCError.exhausted(capacity: 3)) { try allocator.allocate(.live) }
        allocator.release(leases[1])
        let reusedSequence = try allocator.allocate(.historical).sequence
        #expect(reusedSequence == 2)
    }

    @Test func fullDomainCycles() throws {
        var allocator = try SSRCAllocator(domainID: "3402000000")
        var seen = Set<Int>()
        for _ in 0..<9999 { seen.insert(try allocator.allocate(.live).sequence) }
        #expect(seen.count == 9999)
        #expect(!seen.contains(0))
        #expect(throws: SSRCError.exhausted(capacity: 9999)) { try allocator.allocate(.live) }
    }

    @Test func reserveTakesAnAnswersSSRC() throws {
        var allocator = try SSRCAllocator(domainID: "3402000000")
        let answered = try #require(GBSSRC(parsing: "0200000042"))
        let reserved = allocator.reserve(answered)
        #expect(reserved)
        let reservedAgain = allocator.reserve(answered)
        #expect(!reservedAgain)
        let otherDomain = allocator.reserve(try #require(GBSSRC(parsing: "0100000043")))
        #expect(!otherDomain, "other domain")
        let otherKind = allocator.release(try #require(GBSSRC(parsing: "1200000042")))
        #expect(!otherKind, "other kind")
        let releasedReserved = allocator.release(answered)
        #expect(releasedReserved)
    }

    @Test func sharedAllocatorServesConcurrentOwners() async throws {
        let shared = try SharedSSRCAllocator(domainID: "34020000002000000001", capacity: 500)
        let leases = try await withThrowingTaskGroup(of: GBSSRC.self) { group in
            for index in 0..<400 { group.addTask { try await shared.allocate(index.isMultiple(of: 2) ? .live : .historical) } }
            return try await group.reduce(into: [GBSSRC]()) { $0.append($1) }
        }
        #expect(Set(leases.map(\.sequence)).count == 400)
        #expect(await shared.count == 400)
        for lease in leases { await shared.release(lease) }
        #expect(await shared.count == 0)
    }

    @Test func invalidDomainIsRefused() {
        #expect(throws: SSRCError.invalidDomainID("abc")) { try SSRCAllocator(domainID: "abc") }
    }

    @Test func subjectExample() throws {
        let text = "34020000001310000001:0200000001,34020000002000000001:0"
        let subject = try GBSubject(parsing: text)
        #expect(subject == GBSubject(senderID: "34020000001310000001", senderSerial: "0200000001",
                                     receiverID: "34020000002000000001", receiverSerial: "0"))
        #expect(subject.description == text)
        #expect(subject.kind == .live)
        let built = GBSubject(channelID: "34020000001310000001", ssrc: try #require(GBSSRC(parsing: "0200000001")),
                              receiverID: "34020000002000000001")
        #expect(built.description == text)
    }

    @Test func subjectIsParsedLeniently() throws {
        let spaced = try GBSubject(parsing: " 34020000001310000001 : 1200000002 , 34020000002000000001 ")
        #expect(spaced.senderSerial == "1200000002")
        #expect(spaced.receiverSerial == "")
        #expect(spaced.kind == .historical)
        #expect(throws: SubjectError.missingComma("34020000001310000001:0")) { try GBSubject(parsing: "34020000001310000001:0") }
        #expect(throws: SubjectError.missingSenderID(":0,1:0")) { try GBSubject(parsing: ":0,1:0") }
    }
}

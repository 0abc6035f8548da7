import Foundation
import NIOCore
import Testing

@testable import SIP

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, seedable, so a failing iteration can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutates seed messages the ways broken devices and hostile peers do.
struct MessageMutator {
    var random: SplitMix64
    static let fragments: [[UInt8]] = ["\r\n", "\n", "\r", ":", ";", ",", "\"", "<", ">", "%", "\\", " ", "\t", "=", "@", "[", "]",
                                       "\r\n\r\n", "\r\n ", "Content-Length: ", "-1", "99999999999999999999", "SIP/2.0", "\u{0}",
                                       "Via: SIP/2.0/UDP ", ";branch=z9hG4bK", "sip:", "\u{FF}\u{FE}"].map { Array($0.utf8) }

    mutating func mutate(_ seed: [UInt8]) -> [UInt8] {
        var bytes = seed
        let rounds = Int.random(in: 1...4, using: &random)
        for _ in 0..<rounds { apply(&bytes) }
        return bytes
    }

    private mutating func position(in bytes: [UInt8]) -> Int { bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &random) }

    private mutating func apply(_ bytes: inout [UInt8]) {
        let choice = Int.random(in: 0..<1000, using: &random)
        switch choice {
        case 0..<250:  // flip bits of one byte
            guard !bytes.isEmpty else { return }
            let index = Int.random(in: 0..<bytes.count, using: &random)
            bytes[index] ^= UInt8.random(in: 1...255, using: &random)
        case 250..<400:  // truncate
            bytes.removeSubrange(position(in: bytes)...)
        case 400..<600:  // insert a grammar-significant fragment
            let fragment = Self.fragments[Int.random(in: 0..<Self.fragments.count, using: &random)]
            bytes.insert(contentsOf: fragment, at: position(in: bytes))
        case 600..<700:  // insert random bytes
            let count = Int.random(in: 1...16, using: &random)
            bytes.insert(contentsOf: (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }, at: position(in: bytes))
        case 700..<850:  // duplicate a line
            let lines = bytes.split(separator: SIPSyntax.lf, omittingEmptySubsequences: false)
            guard lines.count > 1 else { return }
            let line = lines[Int.random(in: 0..<lines.count, using: &random)]
            var out: [UInt8] = []
            let target = Int.random(in: 0..<lines.count, using: &random)
            for (index, existing) in lines.enumerated() {
                out.append(contentsOf: existing)
                out.append(SIPSyntax.lf)
                if index == target { out.append(contentsOf: line); out.append(SIPSyntax.lf) }
            }
            bytes = out
        case 850..<950:  // delete a range
            guard !bytes.isEmpty else { return }
            let start = Int.random(in: 0..<bytes.count, using: &random)
            bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...40, using: &random)))
        case 950..<998:  // CRLF → LF everywhere
            bytes = bytes.filter { $0 != SIPSyntax.cr }
        default:  // a huge value, sometimes past the 64 KiB header limit (rare: it dominates the run time)
            let size = Int.random(in: 1000...70_000, using: &random)
            bytes.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "a"), count: size), at: position(in: bytes))
        }
    }
}

@Suite("Fuzz: parser and TCP framer never crash or hang")
struct FuzzTests {
    static func seeds() throws -> [[UInt8]] {
        var seeds = SpecWire.all.map { Array(SpecWire.crlf($0.text).utf8) }
        for row in SharedFixtures.rfc4475Manifest {
            let url = SharedFixtures.rfc4475Directory.appendingPathComponent("messages/\(row.file)")
            seeds.append(Array(try Data(contentsOf: url)))
        }
        return seeds
    }

    @Test(.timeLimit(.minutes(2)))
    func hundredThousandMutations() throws {
        let seeds = try Self.seeds()
        #expect(seeds.count == 64)
        var mutator = MessageMutator(random: SplitMix64(seed: 0x5EED_28181))
        let parser = SIPMessageParser()
        let iterations = 100_000
        var parsed = 0, validated = 0, framed = 0, roundTripFailures: [String] = []
        let start = ContinuousClock.now
        for iteration in 0..<iterations {
            let seed = seeds[iteration % seeds.count]
            let bytes = mutator.mutate(seed)
            let buffer = ByteBuffer(bytes: bytes)
            if let message = try? parser.parse(datagram: buffer) {
                parsed += 1
                if (try? message.validate()) != nil {
                    validated += 1
                    // Whatever we accept, we must be able to write and read back.
                    let again = try? parser.parse(datagram: message.bytes)
                    if (try? again?.validate()) == nil, roundTripFailures.count < 5 {
                        roundTripFailures.append("iteration \(iteration): \(String(decoding: bytes.prefix(200), as: UTF8.self))")
                    }
                }
                _ = try? message.headers.contacts()
                _ = try? message.headers.routes()
                _ = message.headers["Authorization"].map { try? DigestCredentials(parsing: $0) }
            }
            framed += frameAll(bytes, cut: bytes.isEmpty ? 0 : iteration % bytes.count)
        }
        let elapsed = ContinuousClock.now - start
        print("fuzz: \(iterations) mutated messages in \(elapsed): \(parsed) parsed, \(validated) validated, \(framed) framed")
        #expect(roundTripFailures.isEmpty, "\(roundTripFailures)")
        #expect(parsed > 1000 && validated > 1000)
    }

    /// Feeds the bytes to a stream framer in two reads; returns how many messages came out.
    private func frameAll(_ bytes: [UInt8], cut: Int) -> Int {
        var framer = SIPStreamFramer()
        var buffer = ByteBuffer(bytes: bytes[..<cut])
        var count = 0
        do {
            while try framer.next(from: &buffer) != nil { count += 1 }
            buffer.writeBytes(bytes[cut...])
            while try framer.next(from: &buffer) != nil { count += 1 }
        } catch {
            #expect(!error.description.isEmpty)
        }
        return count
    }
}

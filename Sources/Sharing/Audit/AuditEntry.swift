import Crypto
import Foundation

/// What a caller hands to the audit log: who, department, what, which camera, under which grant,
/// purpose, client address, result. The log adds the time, the position and the hashes.
public struct AuditDraft: Sendable, Hashable, Codable {
    public var actor: String
    public var actorRole: String
    public var department: String
    public var action: AuditAction
    public var camera: String
    /// The object acted on when it is not a camera: "request:<id>", "grant:<id>", "user:<name>".
    public var target: String
    public var grantID: String
    public var purpose: String
    public var clientAddress: String
    public var result: AuditResult
    /// Free detail: a reason, a duration, a playback range, a download's destination, a PTZ command.
    public var detail: String

    public init(actor: String, actorRole: String = "", department: String = "", action: AuditAction, camera: String = "",
                target: String = "", grantID: String = "", purpose: String = "", clientAddress: String = "",
                result: AuditResult = .ok, detail: String = "") {
        self.actor = actor
        self.actorRole = actorRole
        self.department = department
        self.action = action
        self.camera = camera
        self.target = target
        self.grantID = grantID
        self.purpose = purpose
        self.clientAddress = clientAddress
        self.result = result
        self.detail = detail
    }

    public init(_ principal: Principal, _ action: AuditAction, camera: String = "", target: String = "", grantID: UUID? = nil,
                purpose: String = "", clientAddress: String = "", result: AuditResult = .ok, detail: String = "") {
        self.init(actor: principal.username, actorRole: principal.role.rawValue, department: principal.department.description,
                  action: action, camera: camera, target: target, grantID: grantID?.uuidString ?? "", purpose: purpose,
                  clientAddress: clientAddress, result: result, detail: detail)
    }
}

/// One entry of the audit log as stored: the draft, its time and chain position, and the hashes.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var seq: Int64
    /// Milliseconds since 1970 (UTC): an integer, so the canonical form never depends on float printing.
    public var atMillis: Int64
    public var draft: AuditDraft
    public var prevHash: String
    public var contentHash: String
    public var entryHash: String

    public var at: Date { Date(timeIntervalSince1970: Double(atMillis) / 1000) }

    /// The hash a chain starts from: 32 zero bytes.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Builds the entry that follows `prevHash` at position `seq`.
    public init(seq: Int64, atMillis: Int64, draft: AuditDraft, prevHash: String) {
        self.seq = seq
        self.atMillis = atMillis
        self.draft = draft.sanitised
        self.prevHash = prevHash
        self.contentHash = AuditChainHash.contentHash(seq: seq, atMillis: atMillis, draft: self.draft)
        self.entryHash = AuditChainHash.entryHash(prev: prevHash, content: contentHash)
    }

    /// An entry as read back from storage, hashes as stored (verification recomputes them).
    public init(seq: Int64, atMillis: Int64, draft: AuditDraft, prevHash: String, contentHash: String, entryHash: String) {
        self.seq = seq
        self.atMillis = atMillis
        self.draft = draft
        self.prevHash = prevHash
        self.contentHash = contentHash
        self.entryHash = entryHash
    }
}

extension AuditDraft {
    /// PostgreSQL text cannot hold NUL, and a value the database would alter must not be hashed
    /// before it is stored; detail is bounded so one entry cannot bloat the log.
    var sanitised: AuditDraft {
        func clean(_ text: String, _ limit: Int = 512) -> String {
            String(text.unicodeScalars.filter { $0 != "\0" }.prefix(limit).map(Character.init))
        }
        var copy = self
        copy.actor = clean(actor)
        copy.actorRole = clean(actorRole)
        copy.department = clean(department)
        copy.camera = clean(camera)
        copy.target = clean(target)
        copy.grantID = clean(grantID)
        copy.purpose = clean(purpose, 1000)
        copy.clientAddress = clean(clientAddress)
        copy.detail = clean(detail, 4000)
        return copy
    }
}

/// The chain's hashing, written down once.
///
/// Canonical content (version 1): the ASCII tag `GBSHARE-AUDIT-1`, then each field in this order:
/// seq, at (ms since 1970), actor, actor role, department, action, camera, target, grant id,
/// purpose, client address, result, detail; every field as its UTF-8 byte length in decimal, a
/// colon, the bytes, and a line feed (length-prefixed, so no value can imitate a separator).
/// content_hash = SHA-256(canonical content); entry_hash = SHA-256(prev entry_hash ‖ content_hash),
/// both as 32 raw bytes, written in lowercase hex. The first entry's prev hash is 32 zero bytes.
/// Because seq is inside the content, moving an entry to another position breaks its hash.
public enum AuditChainHash {
    public static let tag = "GBSHARE-AUDIT-1"

    public static func canonical(seq: Int64, atMillis: Int64, draft: AuditDraft) -> [UInt8] {
        var bytes = Array(tag.utf8)
        bytes.append(0x0A)
        let fields = [String(seq), String(atMillis), draft.actor, draft.actorRole, draft.department, draft.action.rawValue,
                      draft.camera, draft.target, draft.grantID, draft.purpose, draft.clientAddress, draft.result.rawValue, draft.detail]
        for field in fields {
            let utf8 = Array(field.utf8)
            bytes.append(contentsOf: String(utf8.count).utf8)
            bytes.append(0x3A)
            bytes.append(contentsOf: utf8)
            bytes.append(0x0A)
        }
        return bytes
    }

    public static func contentHash(seq: Int64, atMillis: Int64, draft: AuditDraft) -> String {
        hex(SHA256.hash(data: canonical(seq: seq, atMillis: atMillis, draft: draft)))
    }

    public static func entryHash(prev: String, content: String) -> String {
        var hasher = SHA256()
        hasher.update(data: bytes(hex: prev))
        hasher.update(data: bytes(hex: content))
        return hex(hasher.finalize())
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Hex to bytes; a malformed stored hash becomes bytes that cannot match, never a crash.
    static func bytes(hex: String) -> [UInt8] {
        let chars = Array(hex.utf8)
        guard chars.count == 64 else { return Array(hex.utf8) }
        var out = [UInt8]()
        out.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return Array(hex.utf8) }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }
}

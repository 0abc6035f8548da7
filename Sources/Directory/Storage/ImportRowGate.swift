import Foundation
import GBCore

/// Decides, row by row, whether the person importing a file may write it.
///
/// The importer matches rows to stored cameras by code and rewrites what it matched, so a file is as
/// strong as a PATCH of every camera it names: a one-row file once moved another department's camera into
/// the uploader's department (and with it, its live video). The gate sees both sides of every write: the
/// stored record (nil for a code nobody filed; for a second record of a filed code, the first one filed, so
/// that a duplicate cannot be used to speak for another's camera) and the record as it would be after the
/// import. The decision itself lives in the authorizer (Sharing); the Directory library only asks.
public protocol ImportRowGate: Sendable {
    /// Nil when the row may be written, else why not.
    func refusal(stored: CameraRecord?, incoming: CameraRecord) -> ImportRowRefusalReason?
}

/// Why a row was not written.
public struct ImportRowRefusalReason: Sendable, Hashable, Codable {
    /// A stable code (the authorizer's decision reason, e.g. `other_department`).
    public var code: String
    public var message: LocalizedText

    public init(code: String, message: LocalizedText) {
        self.code = code
        self.message = message
    }
}

/// A row the gate refused: nothing of it was written.
public struct ImportRefusal: Sendable, Hashable, Codable {
    public var row: Int
    public var code: String
    public var reason: ImportRowRefusalReason

    public init(row: Int, code: String, reason: ImportRowRefusalReason) {
        self.row = row
        self.code = code
        self.reason = reason
    }
}

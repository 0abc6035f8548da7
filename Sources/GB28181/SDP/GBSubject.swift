/// The `Subject` header of a GB/T 28181 INVITE (2016 Appendix K / 2022 Appendix L, spec §5.2):
/// `<sender ID>:<sender stream serial>,<receiver ID>:<receiver serial>`.
public struct GBSubject: Sendable, Equatable, CustomStringConvertible {
    /// The media sender: the channel ID.
    public var senderID: String
    /// ≤ 20 characters, first digit 0 live / 1 historical; in practice the SSRC string ([W]).
    public var senderSerial: String
    /// The media receiver: the platform or client ID.
    public var receiverID: String
    /// Identifies the receiving window; `0` is common.
    public var receiverSerial: String

    public init(senderID: String, senderSerial: String, receiverID: String, receiverSerial: String = "0") {
        self.senderID = senderID
        self.senderSerial = senderSerial
        self.receiverID = receiverID
        self.receiverSerial = receiverSerial
    }

    /// The usual Subject of a platform INVITE: channel and SSRC, platform and `0`.
    public init(channelID: String, ssrc: GBSSRC, receiverID: String, receiverSerial: String = "0") {
        self.init(senderID: channelID, senderSerial: ssrc.description, receiverID: receiverID, receiverSerial: receiverSerial)
    }

    /// Lenient: spaces around separators are ignored, and a part without `:` gives an empty serial.
    public init(parsing value: String) throws(SubjectError) {
        let halves = value.split(separator: ",", maxSplits: 1).map { String($0).trimmed }
        guard halves.count == 2 else { throw .missingComma(value) }
        func split(_ half: String) -> (String, String) {
            let parts = half.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map { String($0).trimmed }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        let (sender, senderSerial) = split(halves[0])
        let (receiver, receiverSerial) = split(halves[1])
        guard !sender.isEmpty else { throw .missingSenderID(value) }
        self.init(senderID: sender, senderSerial: senderSerial, receiverID: receiver, receiverSerial: receiverSerial)
    }

    /// The header value.
    public var description: String { "\(senderID):\(senderSerial),\(receiverID):\(receiverSerial)" }

    /// First digit of the sender serial: 0 live, 1 historical (nil if it is something else).
    public var kind: GBSSRC.Kind? {
        switch senderSerial.first {
        case "0": return .live
        case "1": return .historical
        default: return nil
        }
    }
}

public enum SubjectError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingComma(String)
    case missingSenderID(String)

    public var description: String {
        switch self {
        case .missingComma(let value):
            return "Subject '\(value)' lacks the ',' between sender and receiver (GB/T 28181 Appendix K); route the INVITE by u= or the Request-URI instead."
        case .missingSenderID(let value):
            return "Subject '\(value)' has no sender (channel) ID; route the INVITE by u= or the Request-URI instead."
        }
    }
}

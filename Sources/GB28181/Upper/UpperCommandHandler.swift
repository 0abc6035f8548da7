/// A command or query an upper platform sends about one of our channels (spec §7: PTZ and the other
/// DeviceControl commands, preset, record and status queries reach a camera through the platform that
/// serves it). The router attributed it to the upper (From and source address) before it gets here.
public struct UpperCommand: Sendable {
    public var upperID: String
    /// Our code of the channel the body's DeviceID names.
    public var channelID: String
    public var message: MANSCDPMessage
    /// Where the upper sent it from, for the audit's client address.
    public var source: String

    public init(upperID: String, channelID: String, message: MANSCDPMessage, source: String) {
        self.upperID = upperID
        self.channelID = channelID
        self.message = message
        self.source = source
    }
}

/// What becomes of an upper's command. It is decided before the MESSAGE is answered, so a refusal is the
/// MESSAGE's own final answer (403 not allowed to this upper, 404 no such channel, 480 the device that
/// serves it is offline, 501 a command we do not relay) rather than a 200 followed by silence.
public enum UpperCommandDecision: Sendable {
    /// Answered 200; `work` then runs on the device side and what it returns is sent to the upper, each
    /// answer already carrying the upper's SN and our channel ID.
    case accepted(work: @Sendable () async -> [any MANSCDPCommand])
    case refused(statusCode: Int, reason: String)
}

/// What App implements over Sharing and the device side (App/Cascade/UpperCommandRelay.swift).
public protocol UpperCommandHandler: Sendable {
    func admit(_ command: UpperCommand) async -> UpperCommandDecision
}

/// Relays nothing: every command about a channel is refused in words, never accepted and dropped.
public struct NoUpperCommands: UpperCommandHandler {
    public init() {}
    public func admit(_ command: UpperCommand) async -> UpperCommandDecision {
        .refused(statusCode: 501, reason: "Commands Are Not Relayed By This Node")
    }
}

extension UpperCommand {
    /// Whether an upper's message is about one of our channels and is relayed to it: DeviceControl and
    /// the channel-level queries whose DeviceID names something other than this node. Catalog and our
    /// own device info/status stay with the link (UpperLink+Queries.swift).
    static func isRelayed(_ message: MANSCDPMessage, platformID: String) -> Bool {
        guard let target = message.deviceID, target != platformID else { return false }
        switch message {
        case .control(.deviceControl), .query(.presetQuery), .query(.recordInfo), .query(.deviceStatus), .query(.deviceInfo):
            return true
        default:
            return false
        }
    }
}

import GBCore

/// Why a play failed, named after the step that did not happen, so a person can act on it (the issue:
/// "a play that fails says at which step ... instead of a bare timeout").
public enum PlayFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The device is not registered or its keepalives stopped (spec §2.4).
    case deviceOffline(device: String)
    /// The device answered the INVITE with a final error (spec §5.1: 400, 404, 486, 488).
    case inviteRefused(code: Int, reason: String)
    /// No final answer to the INVITE in time (spec §5.1: 10–20 s, then CANCEL).
    case noAnswer(timeout: Duration)
    /// The INVITE succeeded but not one RTP packet reached our port.
    case noRTP(address: String, timeout: Duration)
    /// RTP reached the port, but only with other SSRCs than the one agreed (spec §5.3, §6.6).
    case ssrcMismatch(expected: UInt32, received: [UInt32], address: String)
    /// RTP arrived but no keyframe with its parameter sets followed.
    case noKeyframe(timeout: Duration)
    /// The stream carries a codec the platform does not remux (SVAC, MPEG-4, a bare audio stream).
    case codecNotSupported(codec: String)
    /// TCP active (spec §5.5): every attempt to connect to the device's address failed.
    case connectFailed(address: String, reason: String)
    /// The device closed the RTP-over-TCP connection.
    case connectionClosed(address: String)
    /// Frames stopped arriving in the middle of a stream.
    case mediaStopped(timeout: Duration)
    /// The device ended the session itself (BYE), e.g. on restart or when its stream limit changed.
    case deviceEnded(device: String)
    /// An H.265 stream was asked for as H.264 and every transcoder slot is busy (the cap protects the
    /// node's CPU: one 1080p transcode costs about one core).
    case transcodeLimit(limit: Int)
    /// The transcoder (ffmpeg) could not start or stopped producing frames.
    case transcodeFailed(reason: String)
    /// Anything else the source threw.
    case sourceFailed(reason: String)

    /// The step the play could not get past.
    public var step: PlayStep {
        switch self {
        case .deviceOffline: .requested
        case .inviteRefused, .noAnswer, .sourceFailed: .inviting
        case .noRTP, .ssrcMismatch, .connectFailed: .answered
        case .noKeyframe, .codecNotSupported, .transcodeLimit, .transcodeFailed: .rtpReceived
        case .connectionClosed, .mediaStopped, .deviceEnded: .playing
        }
    }

    public var message: LocalizedText {
        switch self {
        case let .deviceOffline(device):
            LocalizedText(zh: "设备 \(device) 不在线（未注册或心跳超时）",
                          en: "device \(device) is offline (not registered or keepalive timed out)")
        case let .inviteRefused(code, reason):
            LocalizedText(zh: "设备拒绝点播请求：\(code) \(reason)\(Self.zhHint(code))",
                          en: "the device refused the INVITE: \(code) \(reason)\(Self.enHint(code))")
        case let .noAnswer(timeout):
            LocalizedText(zh: "点播请求 \(Self.seconds(timeout)) 秒内未收到 200 OK",
                          en: "no 200 OK to the INVITE within \(Self.seconds(timeout)) s")
        case let .noRTP(address, timeout):
            LocalizedText(zh: "\(Self.seconds(timeout)) 秒内 \(address) 未收到任何 RTP 包（检查设备到平台的网络、防火墙和 NAT）",
                          en: "no RTP arrived at \(address) within \(Self.seconds(timeout)) s (check the network, firewall and NAT between device and platform)")
        case let .ssrcMismatch(expected, received, address):
            LocalizedText(zh: "\(address) 收到了 RTP，但 SSRC 为 \(Self.ssrcs(received))，而请求的是 \(Self.ssrc(expected))",
                          en: "RTP arrived at \(address) with SSRC \(Self.ssrcs(received)), but \(Self.ssrc(expected)) was asked for")
        case let .noKeyframe(timeout):
            LocalizedText(zh: "已收到 RTP，但 \(Self.seconds(timeout)) 秒内没有关键帧（或关键帧缺少 SPS/PPS）",
                          en: "RTP arrived but no keyframe (with SPS/PPS) within \(Self.seconds(timeout)) s")
        case let .codecNotSupported(codec):
            LocalizedText(zh: "不支持的视频编码：\(codec)（支持 H.264、H.265）",
                          en: "video codec not supported: \(codec) (H.264 and H.265 are)")
        case let .connectFailed(address, reason):
            LocalizedText(zh: "无法连接设备的媒体端口 \(address)：\(reason)",
                          en: "could not connect to the device's media port \(address): \(reason)")
        case let .connectionClosed(address):
            LocalizedText(zh: "设备关闭了媒体 TCP 连接 \(address)", en: "the device closed the media TCP connection \(address)")
        case let .mediaStopped(timeout):
            LocalizedText(zh: "码流中断：\(Self.seconds(timeout)) 秒内未收到新的帧",
                          en: "the stream stopped: no frame for \(Self.seconds(timeout)) s")
        case let .deviceEnded(device):
            LocalizedText(zh: "设备 \(device) 结束了码流（发送了 BYE）", en: "device \(device) ended the stream (it sent BYE)")
        case let .transcodeLimit(limit):
            LocalizedText(zh: "H.265 转 H.264 的转码路数已满（上限 \(limit) 路），请稍后再试，或使用支持 H.265 的客户端",
                          en: "all \(limit) H.265-to-H.264 transcoding slots are busy; try again later or use a client that decodes H.265")
        case let .transcodeFailed(reason):
            LocalizedText(zh: "转码失败：\(reason)", en: "transcoding failed: \(reason)")
        case let .sourceFailed(reason):
            LocalizedText(zh: "点播失败：\(reason)", en: "the play failed: \(reason)")
        }
    }

    public var description: String { message.en }

    /// Maps what a `StreamSource` threw.
    public init(_ error: any Error) {
        self = (error as? PlayFailure) ?? .sourceFailed(reason: String(describing: error))
    }

    // Spec §5.1: the codes a GB device uses, said in words.
    private static func zhHint(_ code: Int) -> String {
        switch code {
        case 404: "（无此通道）"
        case 486: "（设备忙，码流路数已满）"
        case 488: "（设备无法满足 SDP 要求）"
        default: ""
        }
    }

    private static func enHint(_ code: Int) -> String {
        switch code {
        case 404: " (no such channel)"
        case 486: " (busy: no more streams)"
        case 488: " (cannot satisfy the SDP)"
        default: ""
        }
    }

    static func seconds(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return ms % 1000 == 0 ? "\(ms / 1000)" : String(Double(ms) / 1000)
    }

    /// Spec §5.3: the SSRC is the decimal y= value; media servers often print it in hex.
    static func ssrc(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        return "\(v) (0x\(String(repeating: "0", count: max(0, 8 - hex.count)) + hex))"
    }

    private static func ssrcs(_ v: [UInt32]) -> String {
        v.isEmpty ? "?" : v.prefix(4).map(ssrc).joined(separator: ", ")
    }
}

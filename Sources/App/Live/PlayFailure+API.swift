import Media
import Vapor

extension PlayFailure {
    /// A stable machine code for clients (the console maps it to its own words and actions).
    var code: String {
        switch self {
        case .deviceOffline: "device_offline"
        case .inviteRefused: "invite_refused"
        case .noAnswer: "no_answer"
        case .noRTP: "no_rtp"
        case .ssrcMismatch: "ssrc_mismatch"
        case .noKeyframe: "no_keyframe"
        case .codecNotSupported: "codec_not_supported"
        case .connectFailed: "connect_failed"
        case .connectionClosed: "connection_closed"
        case .mediaStopped: "media_stopped"
        case .deviceEnded: "device_ended"
        case .transcodeLimit: "transcode_limit"
        case .transcodeFailed: "transcode_failed"
        case .sourceFailed: "source_failed"
        }
    }

    /// As an HTTP answer: the device side failed, so 502 (503 while every transcoder is busy),
    /// with the step and the words.
    var apiError: APIError {
        let status: HTTPResponseStatus = switch self {
        case .transcodeLimit: .serviceUnavailable
        case .noAnswer: .gatewayTimeout
        default: .badGateway
        }
        return APIError(status, code, message)
    }
}

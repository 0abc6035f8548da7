import SIP

/// Why a platform operation towards a device failed, phrased for an operator.
public enum GBPlatformError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case notStarted
    /// The device is not registered (or its registration expired): nothing to send to.
    case deviceNotRegistered(String)
    /// The device answered the MESSAGE/SUBSCRIBE with a non-2xx final response.
    case rejected(deviceID: String, statusCode: Int, reason: String)
    /// No MANSCDP Response within the query timeout (the MESSAGE itself may have been accepted).
    case noResponse(deviceID: String, cmdType: String, sn: Int)
    /// The SIP request could not be delivered (transaction timeout, TCP connection gone).
    case transport(deviceID: String, reason: String)
    /// The device answered with `Result` ERROR.
    case deviceError(deviceID: String, cmdType: String, reason: String?)
    case encoding(String)
    case stopped

    public var description: String {
        switch self {
        case .invalidConfiguration(let text): return "invalid platform configuration: \(text)"
        case .notStarted: return "the GB/T 28181 platform service is not started"
        case .deviceNotRegistered(let id): return "device \(id) is not registered"
        case let .rejected(id, status, reason): return "device \(id) answered \(status) \(reason)"
        case let .noResponse(id, cmdType, sn): return "device \(id) sent no \(cmdType) response to SN \(sn) in time"
        case let .transport(id, reason): return "could not reach device \(id): \(reason)"
        case let .deviceError(id, cmdType, reason): return "device \(id) answered \(cmdType) with ERROR\(reason.map { ": \($0)" } ?? "")"
        case .encoding(let text): return "could not encode the MANSCDP body: \(text)"
        case .stopped: return "the platform service stopped before the answer came"
        }
    }
}

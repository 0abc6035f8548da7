/// What the directory says about a code that tries to register (register-before-access, 先注册后接入).
public enum DeviceAccess: Sendable, Equatable {
    /// Filed and allowed. `password` nil means the platform default; `charset` nil means the platform default
    /// (or GB18030 for a peer that sent `X-GB-Ver: 3.0`, spec §8.2).
    case allowed(password: String?, charset: OutgoingCharset?)
    /// Not in the directory: answered 403 and reported as an attempted access by an unfiled device.
    case unfiled
    /// Filed but barred from registering (decommissioned, blocked): answered 403.
    case barred(reason: String)
}

/// Implemented by App over the directory. Called once per REGISTER that carries credentials (and once
/// per first REGISTER), so keep it fast: an in-memory index, not a query per call, at 100 000 devices.
public protocol DeviceAccessPolicy: Sendable {
    /// Whether `deviceID` may register, with its password and outgoing charset. Codes that are not 20 digits
    /// or whose type may not register (spec §1.1) are refused before this is asked.
    func access(for deviceID: String) async -> DeviceAccess
}

/// A policy over a fixed table, for tests, benchmarks and small deployments without a directory.
public struct StaticDeviceAccessPolicy: DeviceAccessPolicy {
    public var devices: [String: DeviceAccess]
    /// When true every well-formed code is allowed with the default password (the [W] "global password" mode).
    public var allowUnlisted: Bool

    public init(devices: [String: DeviceAccess] = [:], allowUnlisted: Bool = false) {
        self.devices = devices
        self.allowUnlisted = allowUnlisted
    }

    public func access(for deviceID: String) async -> DeviceAccess {
        devices[deviceID] ?? (allowUnlisted ? .allowed(password: nil, charset: nil) : .unfiled)
    }
}

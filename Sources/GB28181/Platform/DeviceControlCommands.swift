/// DeviceControl (spec §3.4): PTZ and presets by PTZCmd (A.3), TeleBoot, guard and alarm reset. Commands
/// without a response finish at the device's 200 OK; the others wait for the Response Result.
extension GBPlatformService {
    /// Sends a PTZ instruction to a channel (the device's own ID for a single-channel IPC). `priority` goes in
    /// `<Info><ControlPriority>` as the spec's example does.
    public func ptz(_ command: PTZCommand, deviceID: String, channelID: String? = nil, address: UInt16 = 1,
                    priority: Int? = 5) async throws {
        _ = try await control(.ptz(command.instruction(address: address), controlPriority: priority),
                              deviceID: deviceID, channelID: channelID)
    }

    /// Preset set/call/delete are PTZ frames 0x81/0x82/0x83 (table A.7); numbers 1...255.
    public func setPreset(_ number: UInt8, deviceID: String, channelID: String? = nil) async throws {
        try await ptz(.setPreset(number), deviceID: deviceID, channelID: channelID)
    }

    public func callPreset(_ number: UInt8, deviceID: String, channelID: String? = nil) async throws {
        try await ptz(.callPreset(number), deviceID: deviceID, channelID: channelID)
    }

    public func deletePreset(_ number: UInt8, deviceID: String, channelID: String? = nil) async throws {
        try await ptz(.deletePreset(number), deviceID: deviceID, channelID: channelID)
    }

    /// Reboots the device (no response; it drops offline and re-registers).
    public func teleBoot(_ deviceID: String) async throws {
        _ = try await control(.teleBoot, deviceID: deviceID)
    }

    /// Arms (`SetGuard`) or disarms (`ResetGuard`) the device or an alarm channel.
    public func setGuard(_ armed: Bool, deviceID: String, channelID: String? = nil) async throws -> CommandResult {
        try await resultOf(.guardCommand(armed ? .setGuard : .resetGuard), deviceID: deviceID, channelID: channelID)
    }

    /// `AlarmCmd ResetAlarm`, optionally for one alarm method/type.
    public func resetAlarm(deviceID: String, channelID: String? = nil, alarmMethod: String? = nil,
                           alarmType: String? = nil) async throws -> CommandResult {
        try await resultOf(.resetAlarm(alarmMethod: alarmMethod, alarmType: alarmType), deviceID: deviceID, channelID: channelID)
    }

    /// Any DeviceControl sub-command. Returns the Result for commands that have one (spec §3.4 table), nil for
    /// the others once the device accepted the MESSAGE.
    public func control(_ command: DeviceControlCommand, deviceID: String, channelID: String? = nil) async throws -> CommandResult? {
        let target = channelID ?? deviceID
        guard command.expectsResponse else {
            let endpoint = try endpoint(deviceID)
            try await sendMessage(DeviceControl(sn: nextSN(), deviceID: target, command: command), to: endpoint)
            return nil
        }
        let answer = try await query(deviceID: deviceID, targetID: target, cmdType: .deviceControl) {
            DeviceControl(sn: $0, deviceID: target, command: command)
        }
        guard case .result(let result) = answer else { throw unexpected(answer, deviceID: deviceID, cmdType: .deviceControl) }
        guard result.result == .ok else {
            throw GBPlatformError.deviceError(deviceID: deviceID, cmdType: "DeviceControl", reason: result.reason)
        }
        return result
    }

    private func resultOf(_ command: DeviceControlCommand, deviceID: String, channelID: String?) async throws -> CommandResult {
        guard let result = try await control(command, deviceID: deviceID, channelID: channelID) else {
            throw GBPlatformError.deviceError(deviceID: deviceID, cmdType: "DeviceControl", reason: "no Result")
        }
        return result
    }
}

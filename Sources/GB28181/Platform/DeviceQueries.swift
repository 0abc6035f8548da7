import Foundation

/// Queries with typed answers (spec §3.3, §3.7), correlated by CmdType + SN and checked against the device.
extension GBPlatformService {
    public func deviceInfo(_ deviceID: String) async throws -> DeviceInfoResponse {
        let answer = try await query(deviceID: deviceID, targetID: deviceID, cmdType: .deviceInfo) {
            DeviceQuery(cmdType: .deviceInfo, sn: $0, deviceID: deviceID)
        }
        guard case .deviceInfo(let info) = answer else { throw unexpected(answer, deviceID: deviceID, cmdType: .deviceInfo) }
        return info
    }

    /// DeviceStatus of the device, or of one of its channels.
    public func deviceStatus(_ deviceID: String, channelID: String? = nil) async throws -> DeviceStatusResponse {
        let target = channelID ?? deviceID
        let answer = try await query(deviceID: deviceID, targetID: target, cmdType: .deviceStatus) {
            DeviceQuery(cmdType: .deviceStatus, sn: $0, deviceID: target)
        }
        guard case .deviceStatus(let status) = answer else {
            throw unexpected(answer, deviceID: deviceID, cmdType: .deviceStatus)
        }
        return status
    }

    /// Presets of a channel (PresetQuery, spec §3.3).
    public func presets(_ deviceID: String, channelID: String) async throws -> PresetQueryResponse {
        let answer = try await query(deviceID: deviceID, targetID: channelID, cmdType: .presetQuery) {
            DeviceQuery(cmdType: .presetQuery, sn: $0, deviceID: channelID)
        }
        guard case .presetQuery(let presets) = answer else {
            throw unexpected(answer, deviceID: deviceID, cmdType: .presetQuery)
        }
        return presets
    }

    /// ConfigDownload (spec §3.3), `BasicParam` by default: name, expiry, heartbeat interval and count.
    public func configDownload(_ deviceID: String, types: [String] = ["BasicParam"]) async throws -> ConfigDownloadResponse {
        let answer = try await query(deviceID: deviceID, targetID: deviceID, cmdType: .configDownload) {
            ConfigDownloadQuery(sn: $0, deviceID: deviceID, configTypes: types)
        }
        guard case .configDownload(let config) = answer else {
            throw unexpected(answer, deviceID: deviceID, cmdType: .configDownload)
        }
        return config
    }

    /// Recordings of a channel in a time range; split answers assembled like catalogs (spec §3.7). A timed-out
    /// assembly returns what arrived, marked in `completion`.
    public func recordInfo(_ deviceID: String, channelID: String, from start: GBDateTime, to end: GBDateTime,
                           type: RecordType = .all) async throws -> RecordInfoResult {
        let endpoint = try endpoint(deviceID)
        let sn = nextSN()
        let key = ResponseKey(.recordInfo, sn: sn)
        let query = RecordInfoQuery(sn: sn, deviceID: channelID, startTime: start, endTime: end, type: type)
        return try await withCheckedThrowingContinuation { continuation in
            let assembler = RecordInfoAssembler(deviceID: deviceID, sn: sn, startedAt: .now, policy: configuration.catalogAssembly)
            pending.records[key] = RecordCollection(assembler: assembler, targetID: channelID, continuation: continuation)
            watchAssembly(key)
            Task {
                do {
                    try await self.sendMessage(query, to: endpoint)
                } catch {
                    self.failRecords(key, error: error)
                }
            }
        }
    }

    /// Sends a query and waits for the one Response with its SN, up to `configuration.queryTimeout`.
    func query<Command: MANSCDPCommand>(
        deviceID: String, targetID: String, cmdType: MANSCDPCmdType, build: (Int) -> Command
    ) async throws -> MANSCDPResponse {
        let endpoint = try endpoint(deviceID)
        let sn = nextSN()
        let key = ResponseKey(cmdType, sn: sn)
        let command = build(sn)
        let timeout = configuration.queryTimeout
        return try await withCheckedThrowingContinuation { continuation in
            let timer = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                await self?.failSingle(key, error: GBPlatformError.noResponse(deviceID: deviceID, cmdType: cmdType.name, sn: sn))
            }
            pending.single[key] = SingleResponseWait(deviceID: deviceID, targetID: targetID, continuation: continuation, timer: timer)
            Task {
                do {
                    try await self.sendMessage(command, to: endpoint)
                } catch {
                    self.failSingle(key, error: error)
                }
            }
        }
    }

    private func failSingle(_ key: ResponseKey, error: any Error) {
        guard let wait = pending.single.removeValue(forKey: key) else { return }
        wait.timer?.cancel()
        wait.continuation.resume(throwing: error)
    }

    private func failRecords(_ key: ResponseKey, error: any Error) {
        guard let collection = pending.records[key], collection.assembler.fragments == 0 else { return }
        pending.records[key] = nil
        collection.continuation.resume(throwing: error)
    }

    /// A Response MESSAGE from `sender` (the From user): to the waiting query, or logged as unsolicited.
    func deliverResponse(_ response: MANSCDPResponse, sender: String) {
        switch response {
        case .catalog(let fragment):
            return addCatalogFragment(fragment, sender: sender)
        case .recordInfo(let fragment):
            return addRecordFragment(fragment, sender: sender)
        default:
            break
        }
        guard let command = MANSCDPMessage.response(response).command else {
            logger.info("unknown Response ignored", metadata: ["sender": "\(sender)"])
            return
        }
        let key = ResponseKey(command.cmdType, sn: command.sn)
        guard let wait = pending.single[key] else {
            logger.info("late or unsolicited Response ignored", metadata: [
                "sender": "\(sender)", "cmdType": "\(command.cmdType)", "sn": "\(command.sn)",
            ])
            return
        }
        guard [wait.deviceID, wait.targetID].contains(sender) || [wait.deviceID, wait.targetID].contains(command.deviceID) else {
            logger.warning("Response SN matches a query to another device; ignored", metadata: [
                "sender": "\(sender)", "expected": "\(wait.deviceID)", "sn": "\(command.sn)",
            ])
            return
        }
        pending.single[key] = nil
        wait.timer?.cancel()
        wait.continuation.resume(returning: response)
    }

    private func addRecordFragment(_ response: RecordInfoResponse, sender: String) {
        let key = ResponseKey(.recordInfo, sn: response.sn)
        guard let owner = pending.records[key]?.assembler.deviceID, let target = pending.records[key]?.targetID else {
            logger.info("late or unsolicited RecordInfo ignored", metadata: ["sender": "\(sender)", "sn": "\(response.sn)"])
            return
        }
        guard [owner, target].contains(sender) || [owner, target].contains(response.deviceID) else {
            logger.warning("RecordInfo SN matches a query to another device; ignored", metadata: ["sender": "\(sender)"])
            return
        }
        // Removed, mutated and put back: keeps the item array uniquely referenced (no copy per fragment).
        var collection = pending.records.removeValue(forKey: key)!
        let wasComplete = collection.assembler.isComplete
        collection.assembler.add(response, at: .now)
        pending.records[key] = collection
        if collection.assembler.isComplete && !wasComplete { watchAssembly(key) }
    }

    func finishRecords(_ key: ResponseKey, completion: CatalogCompletion) {
        guard let collection = pending.records.removeValue(forKey: key) else { return }
        let assembler = collection.assembler
        let result = RecordInfoResult(deviceID: assembler.deviceID, channelID: collection.targetID, sn: assembler.sn,
                                      items: assembler.sortedItems, timeline: assembler.timeline, completion: completion,
                                      progress: assembler.progress)
        collection.continuation.resume(returning: result)
    }

    func unexpected(_ answer: MANSCDPResponse, deviceID: String, cmdType: MANSCDPCmdType) -> GBPlatformError {
        if case .result(let result) = answer, result.result != .ok {
            return .deviceError(deviceID: deviceID, cmdType: cmdType.name, reason: result.reason)
        }
        return .deviceError(deviceID: deviceID, cmdType: cmdType.name, reason: "unexpected answer shape")
    }
}

import Foundation

/// Catalog sync (spec §3.6): one query, answers split over many MESSAGEs assembled by SN with progress,
/// an idle/overall timeout that keeps partial results, and every result delivered to the sink.
extension GBPlatformService {
    /// Queries the device's catalog and waits for the assembly to finish. A refresh already running for the
    /// device is joined rather than duplicated. A timed-out assembly is returned (and reported) with what
    /// arrived, `completion` saying so; errors are thrown only when the query itself could not be delivered.
    public func refreshCatalog(_ deviceID: String) async throws -> CatalogSyncResult {
        if let key = pending.catalogByDevice[deviceID], pending.catalogs[key] != nil {
            return try await withCheckedThrowingContinuation { pending.catalogs[key]?.waiters.append($0) }
        }
        let endpoint = try endpoint(deviceID)
        let sn = nextSN()
        let key = ResponseKey(.catalog, sn: sn)
        let query = CatalogQuery(sn: sn, deviceID: deviceID)
        return try await withCheckedThrowingContinuation { continuation in
            var collection = makeCatalogCollection(deviceID: deviceID, sn: sn)
            collection.waiters.append(continuation)
            pending.catalogs[key] = collection
            pending.catalogByDevice[deviceID] = key
            watchAssembly(key)
            Task {
                do {
                    try await self.sendMessage(query, to: endpoint)
                } catch {
                    self.failCatalog(key, error: error)
                }
            }
        }
    }

    /// Progress of the device's running catalog assembly, nil when none runs.
    public func catalogProgress(of deviceID: String) -> AssemblyProgress? {
        pending.catalogByDevice[deviceID].flatMap { pending.catalogs[$0]?.assembler.progress }
    }

    private func makeCatalogCollection(deviceID: String, sn: Int) -> CatalogCollection {
        let now = ContinuousClock.now
        return CatalogCollection(
            assembler: CatalogAssembler(deviceID: deviceID, sn: sn, startedAt: now, policy: configuration.catalogAssembly),
            startedAt: Date(), lastProgressReport: now)
    }

    /// One Response fragment. Fragments of an SN we did not ask for are assembled too when the sender is a
    /// registered device (🔧 some devices push their catalog right after registering).
    func addCatalogFragment(_ response: CatalogResponse, sender: String) {
        let key = ResponseKey(.catalog, sn: response.sn)
        var collection: CatalogCollection
        // Taken out of the dictionary (not copied) so the assembler's item array stays uniquely referenced:
        // a copy here would duplicate the whole catalog on every fragment, quadratic at 100 000 items.
        if let owner = pending.catalogs[key]?.assembler.deviceID {
            guard owner == sender || owner == response.deviceID else {
                logger.warning("catalog fragment from another device ignored", metadata: [
                    "sn": "\(response.sn)", "expected": "\(owner)", "sender": "\(sender)",
                ])
                return
            }
            collection = pending.catalogs.removeValue(forKey: key)!
        } else {
            if let finished = recentlyFinished[key] {
                logger.warning("catalog fragment after the assembly finished (SumNum lied low?); ignored", metadata: [
                    "device": "\(finished.deviceID)", "sn": "\(response.sn)", "items": "\(response.items.count)",
                ])
                return
            }
            guard let owner = [sender, response.deviceID].first(where: { devices[$0] != nil }) else {
                logger.warning("catalog fragment from an unregistered device ignored", metadata: ["sender": "\(sender)"])
                return
            }
            logger.info("unsolicited catalog assembled", metadata: ["device": "\(owner)", "sn": "\(response.sn)"])
            collection = makeCatalogCollection(deviceID: owner, sn: response.sn)
            if pending.catalogByDevice[owner] == nil { pending.catalogByDevice[owner] = key }
            watchAssembly(key)
        }
        let now = ContinuousClock.now
        let wasComplete = collection.assembler.isComplete
        collection.assembler.add(response, at: now)
        // Complete: the watcher finishes it after the grace, taking any overshoot that still arrives.
        if collection.assembler.isComplete && !wasComplete { watchAssembly(key) }
        if collection.assembler.fragments == 1
            || collection.lastProgressReport.duration(to: now) >= configuration.progressReportInterval {
            collection.lastProgressReport = now
            emit(.catalogProgress(progressReport(collection.assembler)))
        }
        pending.catalogs[key] = collection
    }

    private func progressReport(_ assembler: CatalogAssembler) -> CatalogProgressReport {
        CatalogProgressReport(deviceID: assembler.deviceID, sn: assembler.sn, progress: assembler.progress,
                              fragments: assembler.fragments)
    }

    func finishCatalog(_ key: ResponseKey, completion: CatalogCompletion) {
        guard let collection = pending.catalogs.removeValue(forKey: key) else { return }
        let assembler = collection.assembler
        recentlyFinished[key] = (assembler.deviceID, .now)
        if pending.catalogByDevice[assembler.deviceID] == key { pending.catalogByDevice[assembler.deviceID] = nil }
        let result = CatalogSyncResult(
            deviceID: assembler.deviceID, sn: assembler.sn, items: assembler.items, completion: completion,
            progress: assembler.progress, fragments: assembler.fragments, duplicates: assembler.duplicates,
            isEmptyCatalog: assembler.isEmptyCatalog, topIDs: [assembler.deviceID, configuration.platformID],
            startedAt: collection.startedAt, finishedAt: Date())
        logger.info("catalog assembled", metadata: [
            "device": "\(assembler.deviceID)", "sn": "\(assembler.sn)", "items": "\(assembler.items.count)",
            "expected": "\(assembler.expected.map(String.init) ?? "?")", "fragments": "\(assembler.fragments)",
            "completion": "\(completion)", "overshoot": "\(assembler.overshoot)",
        ])
        emit(.catalogProgress(progressReport(assembler)))
        emit(.catalog(result))
        for waiter in collection.waiters { waiter.resume(returning: result) }
    }

    private func failCatalog(_ key: ResponseKey, error: any Error) {
        // An answer that beat the failure (UDP reordering) keeps the assembly alive.
        guard let collection = pending.catalogs[key], collection.assembler.fragments == 0 else { return }
        pending.catalogs[key] = nil
        if pending.catalogByDevice[collection.assembler.deviceID] == key {
            pending.catalogByDevice[collection.assembler.deviceID] = nil
        }
        for waiter in collection.waiters { waiter.resume(throwing: error) }
    }

    /// One watcher task per assembly: sleeps until the assembler's next deadline, then lets it decide.
    func watchAssembly(_ key: ResponseKey) {
        Task { [weak self] in
            while let deadline = await self?.assemblyDeadline(key) {
                try? await Task.sleep(until: deadline, clock: .continuous)
            }
        }
    }

    /// Finishes a timed-out (or complete) assembly; the next deadline while it is still waiting.
    private func assemblyDeadline(_ key: ResponseKey) -> ContinuousClock.Instant? {
        let now = ContinuousClock.now
        let state: AssemblyState, lastFragment: ContinuousClock.Instant
        if let collection = pending.catalogs[key] {
            state = collection.assembler.state(at: now)
            lastFragment = collection.assembler.lastFragmentAt
        } else if let collection = pending.records[key] {
            state = collection.assembler.state(at: now)
            lastFragment = collection.assembler.lastFragmentAt
        } else {
            return nil
        }
        switch state {
        case .waiting(let deadline):
            return deadline
        case .complete:
            let graceEnd = lastFragment.advanced(by: configuration.assemblyGrace)
            if now < graceEnd { return graceEnd }
            finishAssembly(key, completion: .complete)
        case .timedOut(let reason):
            finishAssembly(key, completion: .timedOut(reason))
        }
        return nil
    }

    private func finishAssembly(_ key: ResponseKey, completion: CatalogCompletion) {
        if pending.catalogs[key] != nil { finishCatalog(key, completion: completion) }
        if pending.records[key] != nil { finishRecords(key, completion: completion) }
    }

    /// Forgets finished assemblies once no late fragment can reasonably come (one idle timeout later).
    func pruneFinishedAssemblies(now: ContinuousClock.Instant) {
        guard !recentlyFinished.isEmpty else { return }
        let horizon = configuration.catalogAssembly.idleTimeout
        recentlyFinished = recentlyFinished.filter { $0.value.at.duration(to: now) < horizon }
    }

    /// On stop: every waiter gets an answer (partial assemblies as `.abandoned`, single queries an error).
    func abandonPending() {
        for key in Array(pending.catalogs.keys) { finishCatalog(key, completion: .abandoned) }
        for key in Array(pending.records.keys) { finishRecords(key, completion: .abandoned) }
        for (_, wait) in pending.single {
            wait.timer?.cancel()
            wait.continuation.resume(throwing: GBPlatformError.stopped)
        }
        pending.single.removeAll()
    }
}

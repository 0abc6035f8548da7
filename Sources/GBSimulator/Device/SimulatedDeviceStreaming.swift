import GB28181
import NIOCore
import NIOPosix
import SIP

/// The clip a simulated device sends for an accepted INVITE: prepared with the 200 OK (a passive TCP
/// listener's port goes into the answer), started by the ACK, steered by INFO MANSRTSP, ended by BYE.
extension SimulatedGBDevice {
    func prepareStream(offer: GBSessionDescription?, answeredSSRC: String?, callID: String?,
                       channelID: String) async -> SimulatedStream? {
        guard let clip = configuration.clip, let offer, let callID,
              let plan = SimulatedStreamPlan(offer: offer, answeredSSRC: answeredSSRC) else { return nil }
        do {
            let stream = try await SimulatedStream.prepare(plan, program: clip, bindHost: configuration.bindHost,
                                                           group: MultiThreadedEventLoopGroup.singleton)
            media.streams[callID] = (stream, channelID)
            configuration.events?(.invite(callID: callID, plan: plan))
            return stream
        } catch {
            configuration.events?(.streamFailed(callID: callID, reason: "\(error)"))
            return nil
        }
    }

    /// Runs apart from the ACK's handler: a passive TCP stream waits for the platform to connect.
    func startStream(callID: String) {
        guard let (stream, channelID) = media.streams[callID] else { return }
        Task { await self.run(stream, callID: callID, channelID: channelID) }
    }

    private func run(_ stream: SimulatedStream, callID: String, channelID: String) async {
        do {
            try await stream.start()
        } catch {
            configuration.events?(.streamFailed(callID: callID, reason: "\(error)"))
            return
        }
        guard stream.plan.durationSeconds != nil else { return }
        // A recorded range ends: tell the platform (MediaStatus 121), which then sends BYE (spec §5.6).
        while media.streams[callID] != nil, !(await stream.isFinished) {
            try? await Task.sleep(for: .milliseconds(100))
        }
        guard media.streams[callID] != nil else { return }
        _ = try? await send(MediaStatusNotify(sn: nextSN(), deviceID: channelID))
        configuration.events?(.transferEnded(callID: callID))
    }

    private func stream(_ callID: String) -> SimulatedStream? { media.streams[callID]?.stream }

    func stopStream(callID: String) async {
        guard let (stream, _) = media.streams.removeValue(forKey: callID) else { return }
        await stream.stop()
        configuration.events?(.bye(callID: callID))
    }

    func stopAllStreams() async {
        for callID in Array(media.streams.keys) { await stopStream(callID: callID) }
    }

    /// INFO in a playback dialog (spec §5.7): PAUSE, PLAY (resume, `Range: npt=N-` seek, `Scale:`), TEARDOWN.
    nonisolated func answerInfo(_ transaction: SIPServerTransaction) async {
        let request = transaction.request
        guard let callID = request.headers.callID, let stream = await stream(callID) else {
            return await transaction.respond(transaction.makeResponse(statusCode: 481))
        }
        guard let control = try? MANSRTSPRequest(parsing: String(buffer: request.body)) else {
            return await transaction.respond(transaction.makeResponse(statusCode: 400, reasonPhrase: "Bad MANSRTSP"))
        }
        await transaction.respond(transaction.makeResponse(statusCode: 200))
        switch control.method {
        case .pause:
            await stream.pause()
        case .play:
            var second: Int?
            if case .from(let seconds)? = control.range { second = seconds }
            try? await stream.play(fromSecond: second, scale: control.scale)
        case .teardown:
            await stopStream(callID: callID)
        case .other:
            break
        }
    }
}

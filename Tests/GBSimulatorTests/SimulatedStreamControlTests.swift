import GB28181
import GBSimulator
import NIOPosix
import Testing

/// What INFO MANSRTSP does to a playback stream (spec §5.7): PAUSE stops the frames, PLAY with a range
/// seeks, a scale speeds the sender up, and the range's end finishes the stream.
struct SimulatedStreamControlTests {
    @Test func pauseSeekAndScale() async throws {
        let receiver = try await PSReceiver.open(.udp)
        let offer = GBSessionDescription(originID: SimulatorFixture.platformID, originAddress: "127.0.0.1", sessionType: .playback,
                                         connectionAddress: "127.0.0.1", startTime: 1_764_900_000, stopTime: 1_764_900_010,
                                         media: [GBMediaDescription(port: receiver.port)], ssrc: "1100000001")
        let plan = try #require(SimulatedStreamPlan(offer: offer, answeredSSRC: nil))
        let stream = try await SimulatedStream.prepare(plan, program: try SimulatedClip.builtIn(.h264), bindHost: "127.0.0.1",
                                                       group: MultiThreadedEventLoopGroup.singleton)
        try await stream.start()
        try await Task.sleep(for: .milliseconds(600))
        await stream.pause()
        try await Task.sleep(for: .milliseconds(100))
        let paused = await receiver.frameStarts
        #expect(paused >= 5 && paused < 250, "\(paused) frames in 0.6 s at 25 fps")
        try await Task.sleep(for: .milliseconds(400))
        #expect(await receiver.frameStarts == paused, "nothing while paused")
        // Second 9 of 10 at twice the speed: the last 25 frames in about half a second, then the end.
        let resumed = ContinuousClock.now
        try await stream.play(fromSecond: 9, scale: 2)
        #expect(await SimulatorFixture.eventually(timeout: .seconds(5)) { await stream.isFinished })
        #expect(ContinuousClock.now - resumed < .milliseconds(1500))
        try await Task.sleep(for: .milliseconds(100))
        #expect(await receiver.frameStarts == paused + 25)
        await stream.stop()
        await receiver.close()
    }
}

import Foundation
import Testing
@testable import Media

/// A play that fails says at which step, in words a person can act on (zh and en).
@Suite struct HubFailureTests {
    let key = StreamKey.live("34020000001310000001")

    static func fastConfiguration() -> StreamHubConfiguration {
        var c = HubFixtures.configuration()
        c.answerTimeout = .milliseconds(300)
        c.noRTPTimeout = .milliseconds(300)
        c.noKeyframeTimeout = .milliseconds(300)
        c.mediaStallTimeout = .milliseconds(400)
        return c
    }

    /// Runs one viewer until the play fails; returns the failure and the timeline.
    func failure(source: ScriptedSource, feed: (@Sendable (StreamHub, StreamKey) async -> Void)? = nil)
        async throws -> (PlayFailure, PlayTimeline) {
        let hub = StreamHub(source: source, configuration: Self.fastConfiguration())
        let viewer = await hub.subscribe(key)
        let consumer = Task { await consume(viewer) }
        if let feed { await feed(hub, key) }
        let log = await consumer.value
        let failure = try #require(log.failure)
        #expect(await hub.isUpstreamActive(key) == false)
        await hub.shutdown()
        return (failure, viewer.timeline)
    }

    @Test func deviceOffline() async throws {
        let (f, timeline) = try await failure(source: ScriptedSource(.fail(.deviceOffline(device: "34020000001310000001"))))
        #expect(f == .deviceOffline(device: "34020000001310000001"))
        #expect(f.step == .requested)
        #expect(f.message.zh.contains("不在线") && f.message.en.contains("offline"))
        #expect(timeline.failure == f && timeline.reached == .inviting)
    }

    @Test func inviteRefusedWithCode() async throws {
        let (f, _) = try await failure(source: ScriptedSource(.fail(.inviteRefused(code: 486, reason: "Busy Here"))))
        #expect(f.message.en == "the device refused the INVITE: 486 Busy Here (busy: no more streams)")
        #expect(f.message.zh.contains("486") && f.message.zh.contains("设备忙"))
    }

    @Test func noAnswerWithinTimeoutCancelsTheInvite() async throws {
        let source = ScriptedSource(.hang)
        let (f, timeline) = try await failure(source: source)
        #expect(f == .noAnswer(timeout: .milliseconds(300)))
        #expect(f.message.en == "no 200 OK to the INVITE within 0.3 s")
        #expect(timeline.reached == .inviting)
        #expect(await eventually { await source.cancelledStarts == 1 })
    }

    @Test func noRTPArrived() async throws {
        let source = ScriptedSource()
        let (f, timeline) = try await failure(source: source)
        #expect(f == .noRTP(address: "127.0.0.1:30000 UDP", timeout: .milliseconds(300)))
        #expect(f.message.en.hasPrefix("no RTP arrived at 127.0.0.1:30000 UDP within 0.3 s"))
        #expect(timeline.reached == .answered)
        #expect(await eventually { await source.stops == 1 })
    }

    @Test func rtpWithAnotherSSRC() async throws {
        let (f, _) = try await failure(source: ScriptedSource()) { hub, key in
            hub.report(.ssrcMismatch(expected: 200_000_001, received: 12345, from: "127.0.0.1:5000", accepted: false), for: key)
        }
        #expect(f == .ssrcMismatch(expected: 200_000_001, received: [12345], address: "127.0.0.1:30000 UDP"))
        #expect(f.step == .answered)
    }

    @Test func noKeyframe() async throws {
        let (f, timeline) = try await failure(source: ScriptedSource()) { hub, key in
            hub.report(.rtpArrived(ssrc: 1, from: "127.0.0.1:5000"), for: key)
            hub.deliver(Array(HubFixtures.h264Frames[1..<40]), to: key)
        }
        #expect(f == .noKeyframe(timeout: .milliseconds(300)))
        #expect(timeline.reached == .rtpReceived)
        #expect(f.message.zh.contains("关键帧"))
    }

    @Test func codecNotSupported() async throws {
        let (f, _) = try await failure(source: ScriptedSource()) { hub, key in
            hub.deliver(MediaFrame(codec: .svac, pts: 0, isKeyframe: true, annexB: [0, 0, 1, 0x65, 1], nalUnits: []), to: key)
        }
        #expect(f == .codecNotSupported(codec: "SVAC"))
        #expect(f.message.en.contains("SVAC"))
    }

    @Test func mediaStoppedMidStream() async throws {
        let (f, timeline) = try await failure(source: ScriptedSource()) { hub, key in
            hub.deliver(Array(HubFixtures.h264Frames[0..<10]), to: key)
        }
        #expect(f == .mediaStopped(timeout: .milliseconds(400)))
        #expect(timeline.reached == .playing)
    }

    @Test func otherSourceErrorsAreNamed() async throws {
        let (f, _) = try await failure(source: ScriptedSource(.failWith("SIP transport down")))
        #expect(f == .sourceFailed(reason: "SIP transport down"))
        #expect(f.message.zh == "点播失败：SIP transport down")
    }

    @Test func everyFailureHasBothLanguages() {
        let all: [PlayFailure] = [
            .deviceOffline(device: "1"), .inviteRefused(code: 404, reason: "Not Found"), .noAnswer(timeout: .seconds(20)),
            .noRTP(address: "a", timeout: .seconds(8)), .ssrcMismatch(expected: 200_000_001, received: [1], address: "a"),
            .noKeyframe(timeout: .seconds(12)), .codecNotSupported(codec: "SVAC"), .connectFailed(address: "a", reason: "r"),
            .connectionClosed(address: "a"), .mediaStopped(timeout: .seconds(15)), .sourceFailed(reason: "r"),
        ]
        for f in all {
            #expect(!f.message.zh.isEmpty && !f.message.en.isEmpty && f.message.zh != f.message.en)
        }
        #expect(PlayFailure.ssrcMismatch(expected: 200_000_001, received: [1], address: "a").message.en
            == "RTP arrived at a with SSRC 1 (0x00000001), but 200000001 (0x0BEBC201) was asked for")
        #expect(PlayFailure.noAnswer(timeout: .seconds(20)).message.en == "no 200 OK to the INVITE within 20 s")
    }
}

import Foundation
import Media

/// HLS players fetch a playlist and segments without our Authorization header, so an authenticated
/// `live.m3u8` request opens a session and redirects to `/api/v1/hls/<id>/live.m3u8`: the 128-bit id
/// is the capability for that one viewer and camera, valid while the login that opened it lasts
/// (`LoginBoundView`). A session nobody fetched for `idleTimeout` ends, and its view is recorded as
/// stopped; a session whose view ended (grant cut, login ended, source gone) is forgotten at once, so
/// its link answers 404 rather than the segments it still held.
actor HLSSessions {
    struct Entry {
        let viewer: LiveViewer
        let stream: HLSLiveStream
        let pump: Task<Void, Never>
        var lastAccess: ContinuousClock.Instant
    }

    private var entries: [String: Entry] = [:]
    private var sweeper: Task<Void, Never>?
    let idleTimeout: Duration

    init(idleTimeout: Duration = .seconds(30)) {
        self.idleTimeout = idleTimeout
    }

    func open(_ viewer: LiveViewer) -> String {
        let id = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let stream = HLSLiveStream(configuration: HLSConfiguration())
        let pump = Task {
            do {
                while let event = try await viewer.stream.next() { stream.append(event) }
            } catch {}
            stream.finish()
            await viewer.finish()
            self.forget(id)
        }
        entries[id] = Entry(viewer: viewer, stream: stream, pump: pump, lastAccess: .now)
        if sweeper == nil {
            sweeper = Task { [weak self] in
                while (try? await Task.sleep(for: .seconds(5))) != nil {
                    await self?.sweep()
                }
            }
        }
        return id
    }

    /// The session's stream, marking it used now; nil when unknown or ended.
    func stream(_ id: String) -> HLSLiveStream? {
        guard var entry = entries[id] else { return nil }
        entry.lastAccess = .now
        entries[id] = entry
        return entry.stream
    }

    var count: Int { entries.count }

    private func forget(_ id: String) {
        entries[id] = nil
    }

    private func sweep() async {
        let now = ContinuousClock.now
        for (id, entry) in entries where now - entry.lastAccess > idleTimeout {
            entries[id] = nil
            entry.pump.cancel()
            await entry.viewer.finish()
        }
    }

    func shutdown() async {
        sweeper?.cancel()
        for entry in entries.values {
            entry.pump.cancel()
            await entry.viewer.finish()
        }
        entries.removeAll()
    }
}

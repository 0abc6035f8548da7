import Foundation

/// One line per device state change, with the time, written unbuffered (the command runs for hours
/// with its output piped to a log).
enum SimulateOutput {
    static func line(_ text: String) {
        let stamp = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
        FileHandle.standardOutput.write(Data("\(stamp) \(text)\n".utf8))
    }
}

/// SIGINT and SIGTERM, taken over from their default (which would end the process before the devices
/// unregister and the summary is printed).
enum StopSignal {
    private final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Int32, Never>?
        init(_ continuation: CheckedContinuation<Int32, Never>) { self.continuation = continuation }
        func resume(_ signal: Int32) {
            lock.lock()
            let pending = continuation
            continuation = nil
            lock.unlock()
            pending?.resume(returning: signal)
        }
    }

    /// Kept for the life of the process: a released source stops delivering.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func next() async -> Int32 {
        await withCheckedContinuation { continuation in
            let once = Once(continuation)
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { once.resume(number) }
                source.resume()
                sources.append(source)
            }
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How an ffmpeg child ended, with the end of what it wrote to stderr (its error message).
struct FFmpegExit: Sendable, Equatable, CustomStringConvertible {
    /// The exit code, or nil when a signal ended it.
    var code: Int32?
    var signal: Int32?
    /// The last non-empty stderr line ("" when it wrote none).
    var lastStderrLine: String

    var succeeded: Bool { code == 0 }

    var description: String {
        let how = code.map { "ffmpeg exited with status \($0)" } ?? "ffmpeg was killed by signal \(signal ?? 0)"
        return lastStderrLine.isEmpty ? how : "\(how): \(lastStderrLine)"
    }
}

/// Why ffmpeg could not be started.
struct FFmpegSpawnError: Error, Sendable, CustomStringConvertible {
    var path: String
    var errno: Int32
    var description: String { "cannot run \(path): \(String(cString: strerror(errno)))" }
}

/// A small lock around a value (Foundation only, so these files build without NIO).
final class FFmpegLocked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// One ffmpeg child process with its stdin, stdout and stderr as pipes.
///
/// Why `posix_spawn` and one I/O thread per child rather than Foundation `Process` + `FileHandle`
/// readability handlers or NIO pipe channels:
/// - every pipe is created close-on-exec and only `dup2`ed onto 0/1/2 in the child,
///   so one ffmpeg never inherits another's pipe ends (with inherited ends a stdin EOF or a stdout EOF
///   would never arrive while a sibling runs);
/// - the child is reaped by us (`waitid(WNOWAIT)` then `waitpid`) and signals are only sent while it is
///   known not to be reaped yet, so a recycled pid is never killed and no zombie is left;
/// - the I/O thread multiplexes the three pipes with `poll` on non-blocking descriptors: no blocking read
///   or write ever runs on a NIO event loop or on the two-thread Swift concurrency pool, and a slow
///   ffmpeg can never stall the caller (input is queued here, bounded by `maxPendingInputBytes`).
/// A thread costs little next to the ffmpeg process it serves (the transcode cap is a handful).
///
/// `onStdout` and `onExit` run on the I/O thread, in order; `onExit` last, once.
final class FFmpegProcess: Sendable {
    let pid: pid_t
    let executable: String
    /// Input queued beyond this is refused by `write` (the caller drops frames then).
    let maxPendingInputBytes: Int

    private struct State {
        var pending: [[UInt8]] = []
        var pendingOffset = 0
        var pendingBytes = 0
        var closeStdinRequested = false
        var discardPending = false
        /// Set once the child has exited (before it is reaped): no signal may be sent after.
        var exited = false
        /// The I/O thread closed its descriptors: the wake pipe is gone.
        var ioFinished = false
        var exit: FFmpegExit?
        var exitWaiters: [CheckedContinuation<FFmpegExit, Never>] = []
        var stderrTail: [UInt8] = []
        var killTimer: DispatchWorkItem?
    }

    private let state = FFmpegLocked(State())
    private let stdinFD: Int32
    private let stdoutFD: Int32
    private let stderrFD: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// The inodes of the four pipes (tests check that no descriptor of them is left open).
    let pipeInodes: [UInt64]

    /// Starts `executable` with `arguments`. `onStdout` receives stdout as it arrives; `onExit` is
    /// called once the child is reaped and its output read to the end.
    init(executable: String, arguments: [String], maxPendingInputBytes: Int = 16 << 20,
         onStdout: @escaping @Sendable ([UInt8]) -> Void,
         onExit: @escaping @Sendable (FFmpegExit) -> Void = { _ in }) throws {
        self.executable = executable
        self.maxPendingInputBytes = maxPendingInputBytes
        var fds: [Int32] = []
        func makePipe() throws -> (read: Int32, write: Int32) {
            var p: [Int32] = [-1, -1]
            // pipe2(O_CLOEXEC) is not exported by Swift's Glibc module; pipe + FD_CLOEXEC is made atomic
            // with respect to our other spawns by `spawnLock` (Foundation's Process closes every other
            // descriptor in its children, so only our own spawns could inherit these).
            let rc = pipe(&p)
            guard rc == 0 else { throw FFmpegSpawnError(path: executable, errno: errno) }
            _ = fcntl(p[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(p[1], F_SETFD, FD_CLOEXEC)
            fds += p
            return (p[0], p[1])
        }
        Self.spawnLock.lock()
        defer { Self.spawnLock.unlock() }
        do {
            let input = try makePipe(), output = try makePipe(), errors = try makePipe(), wake = try makePipe()
            pid = try Self.spawn(executable, arguments, stdin: input.read, stdout: output.write, stderr: errors.write)
            // The child's ends are the child's now.
            close(input.read)
            close(output.write)
            close(errors.write)
            stdinFD = input.write
            stdoutFD = output.read
            stderrFD = errors.read
            wakeRead = wake.read
            wakeWrite = wake.write
        } catch {
            for fd in fds { close(fd) }
            throw error
        }
        var inodes: [UInt64] = []
        for fd in [stdinFD, stdoutFD, stderrFD, wakeRead, wakeWrite] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var info = stat()
            if fstat(fd, &info) == 0 { inodes.append(UInt64(info.st_ino)) }
        }
        pipeInodes = inodes
        let thread = Thread { [self] in self.runIO(onStdout: onStdout, onExit: onExit) }
        thread.name = "ffmpeg-\(pid)"
        thread.start()
    }

    /// Held from creating a child's pipes until it is spawned, so no child inherits another's pipes.
    private static let spawnLock = NSLock()

    private static func spawn(_ path: String, _ arguments: [String], stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
        #if os(Linux)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the target, so exactly these three survive the exec.
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The server ignores SIGPIPE and may block signals on this thread; ffmpeg gets the defaults.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw FFmpegSpawnError(path: path, errno: rc) }
        return pid
    }

    // MARK: Input

    /// Queues bytes for ffmpeg's stdin. False (nothing queued) when more than `maxPendingInputBytes`
    /// are already waiting, or stdin is closed.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return true }
        return state.withLock { s in
            guard !s.closeStdinRequested, !s.ioFinished, s.pendingBytes + bytes.count <= maxPendingInputBytes else { return false }
            s.pending.append(bytes)
            s.pendingBytes += bytes.count
            if s.pending.count == 1 { wakeLocked(s) }
            return true
        }
    }

    var pendingInputBytes: Int { state.withLock { $0.pendingBytes } }

    /// Closes stdin once the queued input is written (ffmpeg then drains and exits), or at once when
    /// `discardPending`.
    func closeStdin(discardPending: Bool = false) {
        state.withLock { s in
            s.closeStdinRequested = true
            if discardPending { s.discardPending = true }
            wakeLocked(s)
        }
    }

    /// Caller holds the lock; the wake pipe exists until `ioFinished` is set under the same lock.
    private func wakeLocked(_ s: State) {
        guard !s.ioFinished else { return }
        var one: UInt8 = 1
        _ = Glibc_write(wakeWrite, &one, 1)
    }

    // MARK: Ending

    /// Closes stdin, sends SIGTERM and, if the child is still there after `grace`, SIGKILL.
    func terminate(grace: Duration = .seconds(2)) {
        closeStdin(discardPending: true)
        signal(SIGTERM)
        let item = DispatchWorkItem { [self] in self.signal(SIGKILL) }
        let run: Bool = state.withLock { s in
            guard !s.exited, s.killTimer == nil else { return false }
            s.killTimer = item
            return true
        }
        if run {
            let ms = grace.components.seconds * 1000 + grace.components.attoseconds / 1_000_000_000_000_000
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(ms)), execute: item)
        }
    }

    func kill() {
        closeStdin(discardPending: true)
        signal(SIGKILL)
    }

    /// Sends `sig` unless the child has exited: it is not reaped before `exited` is set, so the pid is
    /// still ours whenever this sends.
    func signal(_ sig: Int32) {
        state.withLock { s in
            guard !s.exited else { return }
            _ = Glibc_kill(pid, sig)
        }
    }

    var hasExited: Bool { state.withLock { $0.exit != nil } }

    /// Waits for the end (returns at once if it has ended).
    func waitForExit() async -> FFmpegExit {
        await withCheckedContinuation { (c: CheckedContinuation<FFmpegExit, Never>) in
            let done: FFmpegExit? = state.withLock { s in
                if let exit = s.exit { return exit }
                s.exitWaiters.append(c)
                return nil
            }
            if let done { c.resume(returning: done) }
        }
    }

    /// The last non-empty line ffmpeg wrote to stderr so far.
    var lastStderrLine: String { state.withLock { Self.lastLine(of: $0.stderrTail) } }

    private static func lastLine(of bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
        return lines.last(where: { !$0.allSatisfy(\.isWhitespace) }).map { String($0.trimmingCharacters(in: .whitespaces)) } ?? ""
    }

    // MARK: The I/O thread

    private func runIO(onStdout: @Sendable ([UInt8]) -> Void, onExit: @Sendable (FFmpegExit) -> Void) {
        // Only this thread writes to ffmpeg's stdin. A write after ffmpeg died raises SIGPIPE, which
        // kills the whole server unless it is ignored (Vapor ignores it, `swift test` does not): blocked
        // here, it stays pending on this thread and the write fails with EPIPE instead.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
        var stdinOpen = true, stdoutOpen = true, stderrOpen = true
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while stdoutOpen || stderrOpen {
            // What to write, and whether stdin should close now.
            let (wantWrite, closeNow): (Bool, Bool) = state.withLock { s in
                if s.discardPending {
                    s.pending.removeAll()
                    s.pendingOffset = 0
                    s.pendingBytes = 0
                }
                return (!s.pending.isEmpty, s.closeStdinRequested && s.pending.isEmpty)
            }
            if stdinOpen && closeNow {
                close(stdinFD)
                stdinOpen = false
            }
            var fds: [pollfd] = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            fds.append(pollfd(fd: stdoutOpen ? stdoutFD : -1, events: Int16(POLLIN), revents: 0))
            fds.append(pollfd(fd: stderrOpen ? stderrFD : -1, events: Int16(POLLIN), revents: 0))
            fds.append(pollfd(fd: stdinOpen && wantWrite ? stdinFD : -1, events: Int16(POLLOUT), revents: 0))
            let n = poll(&fds, nfds_t(fds.count), -1)
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[0].revents != 0 {
                while read(wakeRead, &buffer, buffer.count) > 0 {}
            }
            if stdinOpen && fds[3].revents != 0 {
                if !writePending() {
                    // EPIPE: ffmpeg closed its input (it is exiting); drop what is queued.
                    close(stdinFD)
                    stdinOpen = false
                    state.withLock { s in
                        s.closeStdinRequested = true
                        s.pending.removeAll()
                        s.pendingOffset = 0
                        s.pendingBytes = 0
                    }
                }
            }
            if stdoutOpen && fds[1].revents != 0 {
                let count = read(stdoutFD, &buffer, buffer.count)
                if count > 0 {
                    onStdout(Array(buffer[0..<count]))
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    stdoutOpen = false
                }
            }
            if stderrOpen && fds[2].revents != 0 {
                let count = read(stderrFD, &buffer, buffer.count)
                if count > 0 {
                    let chunk = buffer[0..<count]
                    state.withLock { s in
                        s.stderrTail.append(contentsOf: chunk)
                        if s.stderrTail.count > 4096 { s.stderrTail.removeFirst(s.stderrTail.count - 4096) }
                    }
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    stderrOpen = false
                }
            }
        }
        if stdinOpen { close(stdinFD) }
        close(stdoutFD)
        close(stderrFD)
        state.withLock { s in
            s.ioFinished = true
            close(wakeRead)
            close(wakeWrite)
        }
        let exit = reap()
        let (waiters, timer): ([CheckedContinuation<FFmpegExit, Never>], DispatchWorkItem?) = state.withLock { s in
            s.exit = exit
            defer { s.exitWaiters.removeAll() }
            return (s.exitWaiters, s.killTimer)
        }
        timer?.cancel()
        onExit(exit)
        for waiter in waiters { waiter.resume(returning: exit) }
    }

    /// Writes as much queued input as the pipe takes. False on a broken pipe.
    private func writePending() -> Bool {
        state.withLock { s in
            while let first = s.pending.first {
                let left = first.count - s.pendingOffset
                let written = first.withUnsafeBytes { raw in
                    Glibc_write(stdinFD, raw.baseAddress! + s.pendingOffset, left)
                }
                if written < 0 {
                    if errno == EAGAIN || errno == EINTR { return true }
                    return false
                }
                s.pendingBytes -= written
                if written == left {
                    s.pending.removeFirst()
                    s.pendingOffset = 0
                } else {
                    s.pendingOffset += written
                    return true
                }
            }
            return true
        }
    }

    /// Waits for the child to exit without reaping it, marks it exited (no more signals), then reaps it.
    private func reap() -> FFmpegExit {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        state.withLock { $0.exited = true }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let tail = state.withLock { Self.lastLine(of: $0.stderrTail) }
        if status & 0x7F == 0 {
            return FFmpegExit(code: (status >> 8) & 0xFF, signal: nil, lastStderrLine: tail)
        }
        return FFmpegExit(code: nil, signal: status & 0x7F, lastStderrLine: tail)
    }

    // MARK: Running to the end

    /// Runs ffmpeg with `input` on stdin and returns its stdout, killing it after `timeout`.
    /// Throws `FFmpegRunError`.
    static func run(executable: String, arguments: [String], input: [UInt8], timeout: Duration,
                    maxOutputBytes: Int = 32 << 20) async throws -> [UInt8] {
        let output = FFmpegLocked((bytes: [UInt8](), overflow: false))
        let process = try FFmpegProcess(executable: executable, arguments: arguments,
                                        maxPendingInputBytes: max(input.count, 1)) { chunk in
            output.withLock { o in
                if o.bytes.count + chunk.count > maxOutputBytes { o.overflow = true } else { o.bytes += chunk }
            }
        }
        process.write(input)
        process.closeStdin()
        let timedOut = FFmpegLocked(false)
        let watchdog = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            timedOut.withLock { $0 = true }
            process.kill()
        }
        let exit = await withTaskCancellationHandler {
            await process.waitForExit()
        } onCancel: {
            process.kill()
        }
        watchdog.cancel()
        if timedOut.withLock({ $0 }) { throw FFmpegRunError.timedOut(timeout) }
        try Task.checkCancellation()
        let result = output.withLock { $0 }
        if result.overflow { throw FFmpegRunError.outputTooLarge(limit: maxOutputBytes) }
        guard exit.succeeded else { throw FFmpegRunError.failed(exit) }
        return result.bytes
    }
}

enum FFmpegRunError: Error, Sendable, Equatable {
    case timedOut(Duration)
    case outputTooLarge(limit: Int)
    case failed(FFmpegExit)
}

// Unambiguous names for the libc calls that methods of FFmpegProcess shadow.
@inline(__always) private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

@inline(__always) private func Glibc_kill(_ pid: pid_t, _ sig: Int32) -> Int32 {
    kill(pid, sig)
}

import GB28181
import NIOCore
import SIP

/// One UDP socket of the load generator and the devices that use it. Everything runs on the socket's event
/// loop: per-device state lives in flat arrays, keepalives in a FIFO (due times are appended in order), and a
/// 5 ms tick paces registrations, sends due keepalives and retransmits like RFC 3261 Timer E (500 ms doubling
/// to 4 s, given up after 32 s), so a lost datagram is recovered and only a request that never got an answer
/// counts as lost.
final class LoadDeviceSocket: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    struct Start {}
    struct StopSending {}

    private enum Kind { case register, authorizedRegister, keepalive }

    private struct Outstanding {
        var kind: Kind
        var cseq: UInt32
        var sentAt: NIODeadline
        var firstSentAt: NIODeadline
        var retryAt: NIODeadline
        var interval: TimeAmount
        var bytes: ByteBuffer
    }

    private let configuration: RegistrationLoadConfiguration
    private let numbers: [Int]
    private let server: SocketAddress
    private let run: String
    private let socketCount: Int
    private let parser = SIPMessageParser()
    private var cseqs: [UInt32]
    private var registered: [Bool]
    private var outstanding: [Int: Outstanding] = [:]
    private var keepaliveDue = CircularBuffer<(due: NIODeadline, device: Int)>()
    private var nextToRegister = 0
    private var registrationsInFlight = 0
    private var tokens = 0.0
    private var sending = false
    private var ticks = 0
    private var startedAt = NIODeadline.now()
    private var timer: RepeatedTask?
    private var context: ChannelHandlerContext?
    private var tally = LoadTally()
    private var localPort = 0

    init(configuration: RegistrationLoadConfiguration, numbers: [Int], server: SocketAddress, run: String, socketCount: Int) {
        self.configuration = configuration
        self.numbers = numbers
        self.server = server
        self.run = run
        self.socketCount = socketCount
        cseqs = Array(repeating: 0, count: numbers.count)
        registered = Array(repeating: false, count: numbers.count)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is Start {
            // Bound by now (not yet when the handler was added): Via and Contact carry the real port.
            localPort = context.channel.localAddress?.port ?? 0
            sending = true
            startedAt = .now()
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            timer = context.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(5)) { _ in
                bound.value.tick()
            }
        } else if event is StopSending {
            sending = false
        }
    }

    /// Counts what is still unanswered as lost and hands the tally over.
    func finish(since start: ContinuousClock.Instant) -> LoadTally {
        timer?.cancel()
        for (_, request) in outstanding {
            if request.kind == .keepalive { tally.report.keepalivesLost += 1 } else { tally.report.registrationFailures += 1 }
        }
        outstanding.removeAll()
        return tally
    }

    // MARK: - Sending

    private func tick() {
        guard let context else { return }
        let now = NIODeadline.now()
        if sending { startRegistrations(now: now) }
        while let first = keepaliveDue.first, first.due <= now {
            keepaliveDue.removeFirst()
            guard sending, registered[first.device] else { continue }
            if outstanding[first.device] == nil { sendKeepalive(first.device, now: now) }
            keepaliveDue.append((now + .nanoseconds(Int64(configuration.keepaliveSeconds * 1e9)), first.device))
        }
        ticks += 1
        if ticks % 20 == 0 { retransmit(now: now) }
        context.flush()
    }

    private func startRegistrations(now: NIODeadline) {
        let perSocket = Double(configuration.registrationRate) / Double(socketCount)
        tokens = min(tokens + perSocket * 0.005, max(1, perSocket * 0.05))
        let window = max(1, configuration.maxInFlight / socketCount)
        while tokens >= 1, nextToRegister < numbers.count, registrationsInFlight < window {
            tokens -= 1
            registrationsInFlight += 1
            let device = nextToRegister
            nextToRegister += 1
            cseqs[device] += 1
            send(device, kind: .register, bytes: registerText(device, authorization: nil), now: now, firstSentAt: now)
        }
    }

    private func sendKeepalive(_ device: Int, now: NIODeadline) {
        cseqs[device] += 1
        let body = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>\(cseqs[device])</SN>\r\n"
            + "<DeviceID>\(configuration.deviceID(numbers[device]))</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n"
        let text = requestLine("MESSAGE", device: device, callID: "\(device).\(cseqs[device]).k@\(run)",
                               to: "<sip:\(configuration.platformID)@\(configuration.domain)>", method: "MESSAGE")
            + "Content-Type: Application/MANSCDP+xml\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        tally.report.keepalivesSent += 1
        send(device, kind: .keepalive, bytes: text, now: now, firstSentAt: now)
    }

    private func registerText(_ device: Int, authorization: String?) -> String {
        let id = configuration.deviceID(numbers[device])
        var text = requestLine("REGISTER", device: device, callID: "\(device).r@\(run)",
                               to: "<sip:\(id)@\(configuration.domain)>", method: "REGISTER")
        text += "Contact: <sip:\(id)@127.0.0.1:\(localPort)>\r\nExpires: \(configuration.expires)\r\n"
        if let authorization { text += "Authorization: \(authorization)\r\n" }
        return text + "Content-Length: 0\r\n\r\n"
    }

    private func requestLine(_ verb: String, device: Int, callID: String, to: String, method: String) -> String {
        let id = configuration.deviceID(numbers[device])
        return "\(verb) sip:\(configuration.platformID)@\(configuration.domain) SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:\(localPort);rport;branch=z9hG4bK\(run)-\(numbers[device])-\(cseqs[device])\r\n"
            + "From: <sip:\(id)@\(configuration.domain)>;tag=\(run)\(numbers[device])\r\nTo: \(to)\r\nCall-ID: \(callID)\r\n"
            + "CSeq: \(cseqs[device]) \(method)\r\nMax-Forwards: 70\r\nUser-Agent: gbshare-bench\r\n"
    }

    private func send(_ device: Int, kind: Kind, bytes text: String, now: NIODeadline, firstSentAt: NIODeadline) {
        let bytes = ByteBuffer(string: text)
        outstanding[device] = Outstanding(kind: kind, cseq: cseqs[device], sentAt: now, firstSentAt: firstSentAt,
                                          retryAt: now + .milliseconds(500), interval: .milliseconds(500), bytes: bytes)
        context?.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: server, data: bytes)), promise: nil)
    }

    private func retransmit(now: NIODeadline) {
        for (device, var request) in outstanding where request.retryAt <= now {
            if now - request.sentAt > .seconds(32) {
                outstanding[device] = nil
                if request.kind == .keepalive {
                    tally.report.keepalivesLost += 1
                } else {
                    tally.report.registrationFailures += 1
                    registrationsInFlight -= 1
                }
                continue
            }
            request.interval = min(request.interval * 2, .seconds(4))
            request.retryAt = now + request.interval
            outstanding[device] = request
            tally.report.retransmissions += 1
            context?.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: server, data: request.bytes)), promise: nil)
        }
    }

    // MARK: - Receiving

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let message = try? parser.parse(datagram: envelope.data) else { return }
        switch message {
        case .request(let request):
            // The platform's queries (catalog after registration, if enabled): accepted, not answered further.
            let answer = SIPResponse(replyingTo: request, statusCode: 200)
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: answer.bytes)),
                                  promise: nil)
        case .response(let response):
            handle(response)
        }
    }

    private func handle(_ response: SIPResponse) {
        guard response.statusCode >= 200, let callID = response.headers.callID,
              let device = Int(callID.prefix { $0 != "." }), device < numbers.count,
              let request = outstanding[device], let cseq = try? response.headers.cseq(), cseq.sequence == request.cseq
        else { return }
        let now = NIODeadline.now()
        outstanding[device] = nil
        let latency = UInt32(clamping: (now - request.sentAt).nanoseconds / 1000)
        switch (request.kind, response.statusCode) {
        case (.register, 401):
            tally.registerLatencies.append(latency)
            guard let challengeText = response.headers["WWW-Authenticate"],
                  let challenge = try? DigestChallenge(parsing: challengeText) else { return failRegistration() }
            let credentials = DigestCredentials.answering(
                challenge, method: .register, uri: "sip:\(configuration.platformID)@\(configuration.domain)",
                username: configuration.deviceID(numbers[device]), password: configuration.password)
            cseqs[device] += 1
            send(device, kind: .authorizedRegister, bytes: registerText(device, authorization: credentials.headerValue),
                 now: now, firstSentAt: request.firstSentAt)
        case (.authorizedRegister, 200):
            tally.registerLatencies.append(latency)
            registered[device] = true
            registrationsInFlight -= 1
            tally.report.registered += 1
            tally.lastRegistration = .nanoseconds((now - startedAt).nanoseconds)
            keepaliveDue.append((now + .nanoseconds(Int64(configuration.keepaliveSeconds * 1e9)), device))
        case (.keepalive, 200):
            tally.keepaliveLatencies.append(latency)
            tally.report.keepalivesAnswered += 1
        case (.keepalive, _):
            // 404: the platform forgot the device; a lost keepalive as far as online state goes.
            tally.report.keepalivesLost += 1
        default:
            failRegistration()
        }
    }

    private func failRegistration() {
        tally.report.registrationFailures += 1
        registrationsInFlight -= 1
    }
}

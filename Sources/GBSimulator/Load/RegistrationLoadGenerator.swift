import Foundation
import GB28181
import NIOCore
import NIOPosix
import SIP

/// What the registration/keepalive load does: N devices with digest over a few UDP sockets (the server keys
/// devices by ID, so addresses may repeat), keepalive every `keepaliveInterval`, like cameras do.
public struct RegistrationLoadConfiguration: Sendable, Codable {
    public var serverHost: String
    public var serverPort: Int
    public var devices: Int
    /// Device IDs are this 13-digit prefix (centre, industry, type 132) plus a 7-digit number from 1.
    public var idPrefix: String
    public var password: String
    public var platformID: String
    public var domain: String
    public var expires: Int
    public var keepaliveSeconds: Double
    /// Sending stops this long after the start; answers are awaited for `drainSeconds` more.
    public var durationSeconds: Double
    public var drainSeconds: Double
    /// New registrations per second across all sockets, and at most this many registrations in flight.
    public var registrationRate: Int
    public var maxInFlight: Int
    public var sockets: Int

    public init(serverHost: String = "127.0.0.1", serverPort: Int, devices: Int, idPrefix: String = "3402000000132",
                password: String = "12345678", platformID: String = "34020000002000000001", domain: String = "3402000000",
                expires: Int = 3600, keepaliveSeconds: Double = 60, durationSeconds: Double = 180, drainSeconds: Double = 10,
                registrationRate: Int = 5000, maxInFlight: Int = 2000, sockets: Int = 8) {
        self.serverHost = serverHost
        self.serverPort = serverPort
        self.devices = devices
        self.idPrefix = idPrefix
        self.password = password
        self.platformID = platformID
        self.domain = domain
        self.expires = expires
        self.keepaliveSeconds = keepaliveSeconds
        self.durationSeconds = durationSeconds
        self.drainSeconds = drainSeconds
        self.registrationRate = registrationRate
        self.maxInFlight = maxInFlight
        self.sockets = sockets
    }

    public func deviceID(_ number: Int) -> String {
        let digits = String(number)
        return idPrefix + String(repeating: "0", count: max(0, 20 - idPrefix.count - digits.count)) + digits
    }
}

/// What the load saw, from the devices' side.
public struct RegistrationLoadReport: Sendable, Codable {
    public var registered = 0
    public var registrationFailures = 0
    /// From the first REGISTER to the last device's 200 OK.
    public var registrationSeconds = 0.0
    public var keepalivesSent = 0
    public var keepalivesAnswered = 0
    /// Keepalives never answered despite retransmissions (RFC 3261 Timer E/F), or still unanswered at the end.
    public var keepalivesLost = 0
    public var retransmissions = 0
    public var registerP50Milliseconds = 0.0
    public var registerP99Milliseconds = 0.0
    public var keepaliveP50Milliseconds = 0.0
    public var keepaliveP99Milliseconds = 0.0
    public var keepaliveP999Milliseconds = 0.0
    public var generatorCPUSeconds = 0.0
    public init() {}
}

/// Drives `RegistrationLoadConfiguration` from one event loop; each socket's handler owns its devices.
public enum RegistrationLoadGenerator {
    public static func run(_ configuration: RegistrationLoadConfiguration) async throws -> RegistrationLoadReport {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try SocketAddress(ipAddress: configuration.serverHost, port: configuration.serverPort)
        let run = String(UInt32.random(in: 1...UInt32.max), radix: 36)
        var channels: [Channel] = []
        let socketCount = max(1, min(configuration.sockets, configuration.devices))
        for socket in 0..<socketCount {
            let numbers = stride(from: socket + 1, through: configuration.devices, by: socketCount).map { $0 }
            let channel = try await DatagramBootstrap(group: group)
                .channelOption(ChannelOptions.socketOption(.so_rcvbuf), value: 8 << 20)
                .channelOption(ChannelOptions.socketOption(.so_sndbuf), value: 8 << 20)
                .channelOption(ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = LoadDeviceSocket(configuration: configuration, numbers: numbers, server: server, run: run,
                                                       socketCount: socketCount)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            channels.append(channel)
        }
        let started = ContinuousClock.now
        for channel in channels { channel.pipeline.fireUserInboundEventTriggered(LoadDeviceSocket.Start()) }
        try await Task.sleep(for: .seconds(configuration.durationSeconds))
        for channel in channels { channel.pipeline.fireUserInboundEventTriggered(LoadDeviceSocket.StopSending()) }
        try await Task.sleep(for: .seconds(configuration.drainSeconds))
        var tallies: [LoadTally] = []
        for channel in channels {
            let tally = try await channel.pipeline.handler(type: LoadDeviceSocket.self).flatMapThrowing { handler in
                handler.finish(since: started)
            }.get()
            tallies.append(tally)
            try await channel.close()
        }
        try await group.shutdownGracefully()
        return LoadTally.merge(tallies)
    }
}

/// One socket's counts and latency samples (microseconds).
struct LoadTally: Sendable {
    var report = RegistrationLoadReport()
    var registerLatencies: [UInt32] = []
    var keepaliveLatencies: [UInt32] = []
    var lastRegistration: Duration = .zero

    static func merge(_ tallies: [LoadTally]) -> RegistrationLoadReport {
        var report = RegistrationLoadReport()
        var registers: [UInt32] = [], keepalives: [UInt32] = []
        var last = Duration.zero
        for tally in tallies {
            report.registered += tally.report.registered
            report.registrationFailures += tally.report.registrationFailures
            report.keepalivesSent += tally.report.keepalivesSent
            report.keepalivesAnswered += tally.report.keepalivesAnswered
            report.keepalivesLost += tally.report.keepalivesLost
            report.retransmissions += tally.report.retransmissions
            registers += tally.registerLatencies
            keepalives += tally.keepaliveLatencies
            last = max(last, tally.lastRegistration)
        }
        report.registrationSeconds = Double(last.components.seconds) + Double(last.components.attoseconds) / 1e18
        registers.sort()
        keepalives.sort()
        report.registerP50Milliseconds = percentile(registers, 0.50)
        report.registerP99Milliseconds = percentile(registers, 0.99)
        report.keepaliveP50Milliseconds = percentile(keepalives, 0.50)
        report.keepaliveP99Milliseconds = percentile(keepalives, 0.99)
        report.keepaliveP999Milliseconds = percentile(keepalives, 0.999)
        report.generatorCPUSeconds = ProcessResourceUsage.cpuSeconds()
        return report
    }

    static func percentile(_ sorted: [UInt32], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)
        return Double(sorted[max(0, index)]) / 1000
    }
}

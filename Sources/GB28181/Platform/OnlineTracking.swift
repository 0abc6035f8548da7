import Foundation
import NIOCore
import SIP

/// Keepalive bookkeeping and the periodic sweep (spec §2.1 online rule, [W]): offline after interval × misses
/// without REGISTER or keepalive, on registration expiry, and when a TCP device's connection is gone
/// (2022 §9.1.1 f). A keepalive is an O(1) dictionary update; only the sweep scans, every `sweepInterval`.
extension GBPlatformService {
    /// Records a keepalive from a device that `speaker(candidates:source:transport:)` found registered at
    /// this address. It moves nothing: only an authenticated REGISTER may move a device (a keepalive is
    /// unauthenticated, and one from anywhere once redirected the device's INVITEs to the sender).
    func recordKeepalive(_ keepalive: Keepalive, deviceID: String) {
        guard var session = devices[deviceID] else { return }
        session.lastSeen = .now
        devices[deviceID] = session
        tally.keepalives += 1
        emit(.keepalive(KeepaliveReport(deviceID: deviceID, status: keepalive.status,
                                        faultyDeviceIDs: keepalive.faultyDeviceIDs, time: Date())))
        if !session.online { setOnline(deviceID, true, reason: .keepaliveResumed) }
    }

    /// One pass over all devices. Registration expiry removes the device; silence only marks it offline
    /// (its next keepalive brings it back). TCP connections are checked outside the actor afterwards.
    func sweep() async {
        guard !stopped else { return }
        let now = ContinuousClock.now
        let silenceLimit = configuration.offlineAfter
        var expired: [String] = []
        var silent: [String] = []
        var tcpDevices: [(String, SocketAddress)] = []
        for (id, session) in devices {
            if now >= session.expiresAt {
                expired.append(id)
            } else if session.online {
                if session.lastSeen.duration(to: now) > silenceLimit {
                    silent.append(id)
                } else if session.transport == .tcp {
                    tcpDevices.append((id, session.address))
                }
            }
        }
        for id in expired { unregister(id, reason: .registrationExpired) }
        for id in silent { setOnline(id, false, reason: .keepaliveTimeout) }
        pruneFinishedAssemblies(now: now)
        guard !tcpDevices.isEmpty else { return }
        // The connection table lives in the transport actor; ask it without holding anything here.
        let lost = await Self.closedConnections(tcpDevices, transport: transport)
        for (id, address) in lost where devices[id]?.address == address {
            setOnline(id, false, reason: .connectionLost)
        }
    }

    private static func closedConnections(_ candidates: [(String, SocketAddress)], transport: SIPTransport) async -> [(String, SocketAddress)] {
        var lost: [(String, SocketAddress)] = []
        for (id, address) in candidates where await !transport.hasConnection(to: address) {
            lost.append((id, address))
        }
        return lost
    }

    /// A send down a TCP device's connection failed: the connection is gone (the transport could not reopen it,
    /// as the device sits behind NAT), so the device is offline until it reconnects.
    func connectionFailed(_ endpoint: DeviceEndpoint) {
        guard devices[endpoint.deviceID]?.address == endpoint.address else { return }
        setOnline(endpoint.deviceID, false, reason: .connectionLost)
    }
}

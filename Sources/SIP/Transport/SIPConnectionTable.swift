import NIOCore

/// Open TCP connections by remote address. Requests to a device that registered over TCP must
/// go down the connection it opened (spec 1.3; GB/T 28181-2022 9.1.1 f), since it is usually
/// behind NAT: the table is how `SIPTransport.send` finds it.
actor SIPConnectionTable {
    private var channels: [SocketAddress: Channel] = [:]

    /// Channel handlers report open/close from their event loop through unordered Tasks, so a
    /// close may be processed before the open: an inactive channel is never added.
    func add(_ channel: Channel) {
        guard channel.isActive, let remote = channel.remoteAddress else { return }
        channels[remote] = channel
    }

    func remove(_ channel: Channel, remote: SocketAddress?) {
        guard let remote, let existing = channels[remote], existing === channel else { return }
        channels[remote] = nil
    }

    func channel(to address: SocketAddress) -> Channel? {
        guard let channel = channels[address], channel.isActive else { return nil }
        return channel
    }

    func all() -> [Channel] { Array(channels.values) }

    var count: Int { channels.count }
}

import Logging
import SIP

extension GBPlatformService {
    /// Who we are to an upper platform: our ID and domain, and the SIP socket the upper will send to.
    public nonisolated var localIdentity: LocalPlatformIdentity {
        LocalPlatformIdentity(platformID: configuration.platformID, domain: configuration.domain, host: configuration.host,
                              port: transport.localAddress.port ?? configuration.port, userAgent: configuration.userAgent)
    }

    /// A link to an upper platform over this service's SIP socket (spec §7: the upper must see our
    /// requests come from the port it sends its own to). Started at once; `stop()` it to leave.
    public nonisolated func linkToUpper(_ configuration: UpperPlatformConfiguration,
                                        events: @escaping @Sendable (UpperLinkEvent) -> Void = { _ in }) async -> UpperLink {
        let link = UpperLink(configuration: configuration, local: localIdentity, layer: layer,
                             logger: Logger(label: "gbshare.gb28181.upper"), events: events)
        await link.start()
        return link
    }
}

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
    /// Its queries are answered from `catalog`, its INVITEs by `media`, its commands about our channels by `commands`. A link to the same upper ID replaces the old one.
    public func linkToUpper(_ configuration: UpperPlatformConfiguration, catalog: any UpperCatalogSource = EmptyUpperCatalog(),
                            media: any UpperMediaProvider = NoUpperMedia(), commands: any UpperCommandHandler = NoUpperCommands(),
                            events: @escaping @Sendable (UpperLinkEvent) -> Void = { _ in }) async -> UpperLink {
        if let old = uppers.removeValue(forKey: configuration.platformID) { await old.stop() }
        let link = UpperLink(configuration: configuration, local: localIdentity, layer: layer, catalogSource: catalog, mediaProvider: media,
                             commandHandler: commands, logger: Logger(label: "gbshare.gb28181.upper"), events: events)
        uppers[configuration.platformID] = link
        await link.start()
        return link
    }

    /// Leaves an upper platform (unregistering) and forgets the link.
    public func unlinkUpper(_ platformID: String) async {
        await uppers.removeValue(forKey: platformID)?.stop()
    }

    func stopUpperLinks() async {
        for link in uppers.values { await link.stop() }
        uppers.removeAll()
    }

    /// The running link to an upper platform, if linked.
    public func upperLink(_ platformID: String) -> UpperLink? { uppers[platformID] }

    /// The one place that decides whether a query or command comes from an upper platform: the sender
    /// names a linked upper *and* the request comes from that upper's address. Then it is answered 200
    /// and handed to the link; a request naming an upper from anywhere else is refused 403 (an upper is
    /// never trusted on the IDs it names). Returns false when the sender is no upper at all.
    nonisolated func routeFromUpper(_ transaction: SIPServerTransaction, sender: String, message: MANSCDPMessage) async -> Bool {
        guard let link = await upperLink(sender) else { return false }
        guard link.isBinding(transaction.source, transport: transaction.transport) else {
            await count { $0.impostors += 1 }
            logger.warning("request naming an upper platform from another address refused", metadata: [
                "upper": "\(sender)", "source": "\(transaction.source)"])
            await transaction.respond(transaction.makeResponse(statusCode: 403, reasonPhrase: "Not From Upper Platform Address"))
            return true
        }
        if UpperCommand.isRelayed(message, platformID: configuration.platformID) {
            await link.answerCommand(transaction, message)
            return true
        }
        await transaction.respond(transaction.makeResponse(statusCode: 200))
        Task { await link.answer(message) }
        return true
    }

    /// INVITE, ACK, BYE, INFO and SUBSCRIBE from an upper platform (its media sessions with us), attributed the same
    /// way: the From names a linked upper and the request comes from its address. Returns false when the
    /// sender is no upper (a device's BYE, say).
    nonisolated func routeSessionRequestFromUpper(_ transaction: SIPServerTransaction) async -> Bool {
        let sender = Self.senderID(transaction.request)
        guard let link = await upperLink(sender) else { return false }
        guard link.isBinding(transaction.source, transport: transaction.transport) else {
            await count { $0.impostors += 1 }
            logger.warning("session request naming an upper platform from another address refused", metadata: [
                "upper": "\(sender)", "method": "\(transaction.request.method)", "source": "\(transaction.source)"])
            await transaction.respond(transaction.makeResponse(statusCode: 403, reasonPhrase: "Not From Upper Platform Address"))
            return true
        }
        switch transaction.request.method {
        case .invite: await link.answerInvite(transaction)
        case .ack: await link.acknowledged(transaction.request)
        case .bye: await link.answerBye(transaction)
        case .subscribe: await link.answerSubscribe(transaction)
        default: await link.answerInfo(transaction)
        }
        return true
    }
}

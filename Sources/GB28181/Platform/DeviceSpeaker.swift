import Foundation
import NIOCore
import SIP

/// Who an unauthenticated request (MESSAGE, NOTIFY) speaks for.
///
/// Only REGISTER carries a digest. Everything else a device sends is believed only when it comes from
/// where the device authenticated: the same UDP address and port, or the same TCP connection (whose peer
/// address is the connection's key). Anyone else naming a registered device is an impostor: a keepalive
/// from elsewhere once moved the device's address, so the next INVITE, and the viewer's video, went to
/// the sender; a catalog NOTIFY from elsewhere added channels under another department's device.
enum DeviceSpeaker: Sendable, Equatable {
    /// Registered, and the request came from its registered address over its transport.
    case device(String)
    /// None of the candidate IDs is registered.
    case unregistered
    /// A registered device's ID, from another address or transport.
    case impostor(claimed: String)
}

extension GBPlatformService {
    /// The first candidate ID that is registered decides; see `DeviceSpeaker`.
    func speaker(candidates: [String?], source: SocketAddress, transport: SIPTransportKind) -> DeviceSpeaker {
        guard let deviceID = candidates.compactMap({ $0 }).first(where: { devices[$0] != nil }), let session = devices[deviceID] else {
            return .unregistered
        }
        guard session.address == source, session.transport == transport else {
            tally.impostors += 1
            logger.warning("request naming a registered device from another address ignored", metadata: [
                "device": "\(deviceID)", "registeredAt": "\(session.address)", "source": "\(source)", "transport": "\(transport)",
            ])
            return .impostor(claimed: deviceID)
        }
        return .device(deviceID)
    }
}

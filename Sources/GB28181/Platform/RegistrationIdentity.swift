import SIP

/// Who a REGISTER speaks for. The field takes the ID from `From` (WVP's register processors do), and
/// some peers put the platform's own ID in `To` (the address they register *to*); such a REGISTER was
/// refused as "Device Not Filed" for the platform's ID. `From` names the registering device or lower
/// platform; a `To` naming that same ID or this platform is accepted; a `To` naming a third party is
/// refused, because it is not clear who is registering. The digest username must then agree with the
/// ID (checked after the digest).
enum RegistrationIdentity: Equatable {
    case device(String)
    case missing
    /// From and To name two different peers, neither of them this platform.
    case conflicting(from: String, to: String)

    static func of(_ request: SIPRequest, platformID: String) -> RegistrationIdentity {
        let from = (try? request.headers.from())?.uri.decodedUser ?? ""
        let to = (try? request.headers.to())?.uri.decodedUser ?? ""
        return resolve(from: from, to: to, platformID: platformID)
    }

    static func resolve(from: String, to: String, platformID: String) -> RegistrationIdentity {
        switch (from.isEmpty, to.isEmpty) {
        case (true, true): return .missing
        case (true, false): return to == platformID ? .missing : .device(to)
        case (false, true): return .device(from)
        case (false, false):
            if to == from || to == platformID { return .device(from) }
            // A From naming us and a To naming the device: the RFC 3261 third-party form, seen from gateways.
            if from == platformID { return .device(to) }
            return .conflicting(from: from, to: to)
        }
    }
}

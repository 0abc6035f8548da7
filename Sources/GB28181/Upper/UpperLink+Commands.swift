import NIOCore
import SIP

extension UpperLink {
    /// A command or query about one of our channels (UpperCommand.isRelayed): decided by the handler
    /// before the MESSAGE is answered, so the upper hears a refusal as the MESSAGE's final answer; once
    /// admitted, answered 200 and carried out, and the device's answers go to the upper on new Call-IDs
    /// with the upper's own SN (spec §3.1: a Response carries the query's SN).
    func answerCommand(_ transaction: SIPServerTransaction, _ message: MANSCDPMessage) async {
        let channelID = message.deviceID ?? ""
        let command = UpperCommand(upperID: configuration.platformID, channelID: channelID, message: message,
                                   source: "\(transaction.source.ipAddress ?? "?"):\(transaction.source.port ?? 0)")
        let decision = await commandHandler.admit(command)
        switch decision {
        case .refused(let statusCode, let reason):
            let refusal = UpperMediaRefusal(statusCode: statusCode, reason: reason)
            await transaction.respond(transaction.makeResponse(statusCode: refusal.statusCode, reasonPhrase: refusal.reason))
            events(.command(platformID: configuration.platformID, channelID: channelID, cmdType: message.cmdType.description,
                            statusCode: refusal.statusCode, reason: refusal.reason))
        case .accepted(let work):
            await transaction.respond(transaction.makeResponse(statusCode: 200))
            events(.command(platformID: configuration.platformID, channelID: channelID, cmdType: message.cmdType.description,
                            statusCode: 200, reason: ""))
            Task {
                for answer in await work() where await !self.sendToUpper(answer) {
                    self.logger.warning("upper platform did not take the answer to its command", metadata: [
                        "upper": "\(self.configuration.platformID)", "cmdType": "\(answer.cmdType)", "channel": "\(channelID)"])
                }
            }
        }
    }
}

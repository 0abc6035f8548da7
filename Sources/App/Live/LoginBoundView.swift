import Foundation
import Vapor

/// A view opened over HTTP (live.mp4, live.flv, an HLS session, whose 128-bit id players carry instead
/// of our token) lives as long as the login that opened it: the token is checked again every
/// `LiveSocketSession.sessionCheckInterval`, and a logout, password change, lock, disable or expiry ends the
/// view like a revoked grant does. An HLS link once kept serving new segments after its user logged out.
enum LoginBoundView {
    static func watch(_ req: Request, _ viewer: LiveViewer, every interval: Duration = LiveSocketSession.sessionCheckInterval) {
        guard let token = req.headers.bearerAuthorization?.token ?? req.headers.first(name: "X-API-Key") else { return }
        let auth = req.application.authService
        let logger = req.logger
        Task {
            while !viewer.isFinished {
                try? await Task.sleep(for: interval)
                if viewer.isFinished { return }
                let check = try? await (token.hasPrefix(AuthService.apiKeyPrefix) ? auth.check(apiKey: token) : auth.check(token: token))
                if case .valid = check { continue }
                logger.info("live view ended with its login", metadata: ["camera": "\(viewer.camera)"])
                await viewer.finish()
                return
            }
        }
    }
}

import Foundation
import Vapor

/// The purpose of use (使用事由) that goes with a live view. The sharing rules ask that every use of
/// video be registered with its user and its reason (002 第十四条七); asking it for every tile of a
/// 16-tile wall would teach people to type "x", so it is stated once per login and every later view
/// of that login is audited with it, until the user states another.
enum ViewPurpose {
    static let maximumLength = 500

    /// The purpose as it is recorded: line breaks and other control characters become spaces (the
    /// audit log is forwarded to syslog line by line), surrounding space goes, at most 500 characters.
    static func cleaned(_ text: String) -> String {
        let flattened = String(String.UnicodeScalarView(text.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? " " : $0 }))
        return String(flattened.trimmingCharacters(in: .whitespaces).prefix(maximumLength))
    }

    /// The purpose a view goes with: the one stated with it (then remembered for the login behind
    /// `token`), else the one the login stated before, else none (the authorizer decides whether
    /// that is enough).
    static func resolve(stated: String, on req: Request, token: String?) async throws -> String {
        let purpose = cleaned(stated)
        if purpose.isEmpty { return req.auth.get(AuthenticatedUser.self)?.viewPurpose ?? "" }
        if let token { try await req.application.authService.rememberViewPurpose(purpose, token: token) }
        return purpose
    }
}

@testable import App
import Directory
import Foundation
import GBCore
import Sharing
import Testing
import Vapor

/// Errors say what kind of failure they are (`PublicError`); the API turns the kind into a status in one
/// place. A new error case can no longer reach a user as a 500 because a translation table forgot it.
struct APIErrorTranslationTests {
    struct Sample: PublicError {
        var kind: FailureKind
        var code = "sample"
        var message = LocalizedText(zh: "样例", en: "sample")
    }

    @Test(arguments: FailureKind.allCases)
    func everyKindHasItsStatus(kind: FailureKind) {
        let status = APIErrorMiddleware.translate(Sample(kind: kind)).status
        #expect((status == .internalServerError) == (kind == .internal), "\(kind) → \(status)")
        #expect(APIErrorMiddleware.translate(Sample(kind: kind)).code == "sample")
    }

    @Test func domainErrorsKeepTheirStatusAndCode() {
        let cases: [(any Error, HTTPResponseStatus, String)] = [
            (ShareRequestError.notPending(.approved), .conflict, "not_pending"),
            (ShareRequestError.forbidden(.otherDepartment, DecisionReason.otherDepartment.text), .forbidden, "other_department"),
            (ShareRequestError.tooManyCameras(10), .badRequest, "bad_request"),
            (AccessRefused.unknownCamera("44150200001320000001"), .notFound, "not_found"),
            (AuthService.Failure.notFromTerminal(address: "127.0.0.1"), .forbidden, "not_from_terminal"),
            (AuthService.Failure.lastAdministrator, .conflict, "last_administrator"),
            (AuthService.Failure.locked(until: Date()), .unauthorized, "account_locked"),
            (AuthService.APIKeyFailure.notASystemAccount("x"), .badRequest, "not_system_account"),
            (DirectoryStoreError.codeExists("44150200001320000001"), .conflict, "code_exists"),
            (TableReadError.empty, .unprocessableEntity, "unreadable_file"),
        ]
        for (error, status, code) in cases {
            let translated = APIErrorMiddleware.translate(error)
            #expect(translated.status == status && translated.code == code, "\(error) → \(translated.status) \(translated.code)")
            #expect(!translated.message.zh.isEmpty && !translated.message.en.isEmpty)
        }
        // Anything that is not a public error stays an internal error that names nothing of the inside.
        struct Secret: Error {}
        #expect(APIErrorMiddleware.translate(Secret()).status == .internalServerError)
    }
}

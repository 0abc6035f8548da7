import Directory
import Media
import Foundation
import GBCore
import Vapor

/// Every error the API answers with: a stable code, a status, and a message in both languages.
/// The body is `{"error": {"code": "...", "message": "<in the request's language>", "zh": "...", "en": "..."}}`.
public struct APIError: Error, Sendable {
    public var status: HTTPResponseStatus
    public var code: String
    public var message: LocalizedText

    public init(_ status: HTTPResponseStatus, _ code: String, zh: String, en: String) {
        self.status = status
        self.code = code
        self.message = LocalizedText(zh: zh, en: en)
    }

    public init(_ status: HTTPResponseStatus, _ code: String, _ message: LocalizedText) {
        self.status = status
        self.code = code
        self.message = message
    }

    static let unauthenticated = APIError(.unauthorized, "unauthenticated", zh: "请先登录（缺少或已过期的令牌）",
                                          en: "log in first: the token is missing, expired or revoked")
    static let forbidden = APIError(.forbidden, "forbidden", zh: "无权执行此操作", en: "you may not do this")

    static func notFound(_ what: String) -> APIError {
        APIError(.notFound, "not_found", zh: "找不到\(what)", en: "\(what) was not found")
    }

    static func badRequest(_ zh: String, _ en: String) -> APIError {
        APIError(.badRequest, "bad_request", zh: zh, en: en)
    }
}

/// Turns every error into the API's JSON shape; nothing leaks a stack trace or an SQL message.
struct APIErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let apiError = Self.translate(error)
            if apiError.status == .internalServerError {
                request.logger.error("request failed: \(String(reflecting: error))")
            }
            let language = request.language
            struct Body: Encodable {
                struct Detail: Encodable { let code: String; let message: String; let zh: String; let en: String }
                let error: Detail
            }
            let body = Body(error: .init(code: apiError.code, message: apiError.message.text(for: language),
                                         zh: apiError.message.zh, en: apiError.message.en))
            let response = Response(status: apiError.status)
            try response.content.encode(body, as: .json)
            if apiError.status == .unauthorized { response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer") }
            return response
        }
    }

    static func translate(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as any PublicError:
            return APIError(error.kind.httpStatus, error.code, error.message)
        case let failure as PlayFailure:
            return failure.apiError
        case let error as DecodingError:
            return APIError(.badRequest, "bad_request", zh: "请求内容无法解析：\(Self.describe(error))", en: "the request body cannot be read: \(Self.describe(error))")
        case let error as any AbortError:
            let code = error.status == .unauthorized ? "unauthenticated" : error.status == .notFound ? "not_found" : "http_\(error.status.code)"
            if error.status == .unauthorized { return .unauthenticated }
            return APIError(error.status, code, zh: error.reason, en: error.reason)
        default:
            return APIError(.internalServerError, "internal", zh: "服务器内部错误，请联系管理员", en: "internal error; tell the administrator")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath.map(\.stringValue).joined(separator: ".") + " " + context.debugDescription
        @unknown default: "\(error)"
        }
    }
}

extension Request {
    /// `?lang=en` or `Accept-Language: en...` gets English; everyone else Chinese.
    var language: Language {
        if let lang = query[String.self, at: "lang"] { return Language(preference: lang) }
        return Language(preference: headers.first(name: .acceptLanguage))
    }

    func requireUser() throws -> AuthenticatedUser {
        guard let user = auth.get(AuthenticatedUser.self) else { throw APIError.unauthenticated }
        return user
    }
}

extension FailureKind {
    /// The one place a kind of failure becomes an HTTP status.
    var httpStatus: HTTPResponseStatus {
        switch self {
        case .invalid: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .unprocessable: .unprocessableEntity
        case .tooManyRequests: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .internal: .internalServerError
        }
    }
}

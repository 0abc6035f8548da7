import Directory
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
        case let error as DirectoryStoreError:
            switch error {
            case .notFound: return APIError(.notFound, "not_found", error.message)
            case .codeExists: return APIError(.conflict, "code_exists", error.message)
            case .invalidStatusChange: return APIError(.conflict, "invalid_status_change", error.message)
            case .invalidCursor: return APIError(.badRequest, "invalid_cursor", error.message)
            case .notSQL, .corruptRow: return APIError(.internalServerError, "internal", error.message)
            }
        case let error as TableReadError:
            return APIError(.unprocessableEntity, "unreadable_file", error.message)
        case let error as DirectoryFileError:
            return APIError(.unprocessableEntity, "missing_columns", error.message)
        case let error as AuthService.Failure:
            switch error {
            case .invalidCredentials:
                return APIError(.unauthorized, "invalid_credentials", zh: "用户名或密码错误", en: "wrong user name or password")
            case .locked(let until):
                return APIError(.unauthorized, "account_locked", zh: "账号因多次登录失败已锁定，至\(Self.localTime(until))解锁",
                                en: "the account is locked after repeated failures until \(Self.localTime(until))")
            case .disabled:
                return APIError(.unauthorized, "account_disabled", zh: "账号已停用", en: "the account is disabled")
            case .weakPassword(let text):
                return APIError(.badRequest, "weak_password", text)
            case .usernameTaken(let name):
                return APIError(.conflict, "username_taken", zh: "用户名\(name)已存在", en: "user name \(name) is taken")
            case .notFromTerminal(let address):
                return APIError(.forbidden, "not_from_terminal", zh: "该账号只能从本单位登记的终端登录（本次来自\(address.isEmpty ? "未知地址" : address)）",
                                en: "this account may log in only from its unit's registered terminals (this login came from \(address.isEmpty ? "an unknown address" : address))")
            case .invalidNetworks(let text):
                return APIError(.badRequest, "invalid_networks", zh: "“\(text)”不是地址或地址段（如 10.12.0.0/16）", en: "\"\(text)\" is not an address or range (e.g. 10.12.0.0/16)")
            case .noSuchUser(let name):
                return APIError(.notFound, "no_such_user", zh: "用户\(name)不存在", en: "no user \(name)")
            case .lastAdministrator:
                return APIError(.conflict, "last_administrator", zh: "这是最后一个启用的系统管理员账号，不能停用或改为其他角色",
                                en: "this is the last active system administrator: it cannot be disabled or given another role")
            }
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

    static func localTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return formatter.string(from: date)
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

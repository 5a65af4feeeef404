import ChuqingDomain
import ChuqingServices
import Foundation
import Hummingbird

/// A rejection with the one error shape every 4xx uses:
/// `{"error":{"code":"…","message":"…","field":"…"}}`.
///
/// `code` is stable English for programs; `message` is Chinese for screens and says what is
/// accepted; `field` names the input at fault when there is one.
public struct APIError: Error, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public let field: String?
    /// Extra headers, e.g. `Retry-After` on 429.
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    static func unauthenticated(expired: Bool) -> APIError {
        expired
            ? APIError(.unauthorized, code: "session_expired", message: "登录已失效或已退出，请重新登录")
            : APIError(.unauthorized, code: "unauthenticated", message: "请先登录：在 Authorization 头中提供 Bearer 令牌")
    }

    static let forbidden = APIError(.forbidden, code: "forbidden", message: "您的角色无权进行此操作")
    static let notFound = APIError(.notFound, code: "not_found", message: "找不到请求的资源")

    /// The database cannot be reached or did not answer within its deadline (issue 14): the
    /// request did nothing that was acknowledged, and may be sent again after `Retry-After`.
    static var databaseUnavailable: APIError {
        var error = APIError(
            .serviceUnavailable, code: "database_unavailable",
            message: "系统暂时无法使用：数据库暂时无法连接，请稍等几秒钟后重试。如果刚才提交了内容，它没有保存，请返回重新提交")
        error.headers[.retryAfter] = "\(retryAfterSeconds)"
        return error
    }

    /// What `Retry-After` says after a database outage: the pool probes the server every 250 ms
    /// and replaces itself as soon as a probe succeeds.
    static let retryAfterSeconds = 2

    /// The JSON body of the error shape.
    var body: [String: [String: String]] {
        var error = ["code": code, "message": message]
        if let field { error["field"] = field }
        return ["error": error]
    }
}

extension APIError {
    /// The error shape for a rule of the domain: 422 for a bad value, 409 for a conflict with
    /// the record's state.
    init(_ error: DomainError) {
        self.init(error.kind == .conflict ? .conflict : .unprocessableContent, code: error.code, message: error.message, field: error.field)
    }

    /// The error shape for a service's refusal: 404, 403, 401 or 429 with `Retry-After`.
    init(_ refusal: Refusal) {
        switch refusal.reason {
        case .notFound:
            self.init(.notFound, code: refusal.code, message: refusal.message, field: refusal.field)
        case .forbidden:
            self.init(.forbidden, code: refusal.code, message: refusal.message, field: refusal.field)
        case .unauthorized:
            self.init(.unauthorized, code: refusal.code, message: refusal.message, field: refusal.field)
        case .tooManyRequests(let seconds):
            self.init(.tooManyRequests, code: refusal.code, message: refusal.message, field: refusal.field)
            headers[.retryAfter] = String(seconds)
        }
    }

    /// Explains a JSON decoding failure: which field, and what was expected.
    init(_ error: DecodingError) {
        func path(_ context: DecodingError.Context, appending key: (any CodingKey)? = nil) -> String? {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? nil : text.replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context, appending: key) ?? key.stringValue
            self.init(.badRequest, code: "missing_field", message: "缺少必填字段「\(field)」", field: field)
        case .typeMismatch(let type, let context):
            let field = path(context)
            self.init(.badRequest, code: "wrong_type", message: "字段「\(field ?? "(根)")」类型错误：应为\(Self.describe(type))", field: field)
        case .valueNotFound(let type, let context):
            let field = path(context)
            self.init(.badRequest, code: "missing_value", message: "字段「\(field ?? "(根)")」不能为 null：应为\(Self.describe(type))", field: field)
        case .dataCorrupted(let context):
            if let field = path(context) {
                // Foundation's UUID decoding explains itself in English; a record's id is the one
                // UUID a client sends, so say what one looks like.
                let reason =
                    (context.underlyingError as? DomainError)?.message
                    ?? (context.debugDescription.contains("UUID")
                        ? "应为记录编号（UUID，如 1b4e28ba-2fa1-11d2-883f-0016d3cca427）" : context.debugDescription)
                self.init(.badRequest, code: "invalid_value", message: "字段「\(field)」的值无效：\(reason)", field: field)
            } else {
                self.init(.badRequest, code: "malformed_json", message: "请求体不是合法的 JSON")
            }
        @unknown default:
            self.init(.badRequest, code: "malformed_json", message: "请求体无法解析")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "字符串"
        case is Int.Type, is Int64.Type: "整数"
        case is Bool.Type: "布尔值 true/false"
        case is Double.Type: "数字"
        case is UUID.Type, is UUID?.Type: "记录编号（UUID 字符串）"
        default: "\(type)"
        }
    }
}

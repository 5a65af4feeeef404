/// A service's refusal that is not a broken rule of the domain (those are `DomainError`): the
/// record is not there for this caller, the caller may not act, the credentials are wrong, or the
/// caller must wait. The server turns each reason into its HTTP status.
public struct Refusal: Error, Sendable, Equatable {
    /// Why the service refused.
    public enum Reason: Sendable, Equatable {
        /// No such record, or none this caller may see (existence does not leak).
        case notFound
        /// The caller's role may not do this.
        case forbidden
        /// The credentials were wrong.
        case unauthorized
        /// Too many attempts: try again after this many seconds.
        case tooManyRequests(retryAfterSeconds: Int)
    }

    public let reason: Reason
    /// Stable English for programs, e.g. `not_found`.
    public let code: String
    /// What was wrong and what to do, in Chinese.
    public let message: String
    /// The input at fault, if any.
    public let field: String?

    public init(_ reason: Reason, code: String, message: String, field: String? = nil) {
        self.reason = reason
        self.code = code
        self.message = message
        self.field = field
    }

    /// The record is not there, or not for this caller.
    public static let notFound = Refusal(.notFound, code: "not_found", message: "找不到请求的资源")
    /// The caller's role may not do this.
    public static let forbidden = Refusal(.forbidden, code: "forbidden", message: "您的角色无权进行此操作")
}

/// A rule was broken by a value a person gave.
///
/// Every rejection names the rule (`code`, stable English for programs), says in Chinese what was
/// wrong and what would be accepted (`message`, shown on screens), and names the field when there
/// is one, so the API, the import report and the forms can all point at the value to fix.
public struct DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable machine-readable code, e.g. `invalid_username`.
    public let code: String
    /// What was wrong and what is accepted, in Chinese.
    public let message: String
    /// The input field the error is about, if any (API field name, e.g. `username`).
    public let field: String?
    /// A value that breaks a rule (422), or a request that conflicts with the record's state (409).
    public let kind: Kind

    /// What sort of rule was broken.
    public enum Kind: Sendable, Equatable {
        /// The value itself is not acceptable.
        case invalid
        /// The value is fine but the record's current state does not allow it (an illegal transition).
        case conflict
    }

    /// Creates an error; `message` must say what is accepted, not only what was wrong.
    public init(code: String, message: String, field: String? = nil, kind: Kind = .invalid) {
        self.code = code
        self.message = message
        self.field = field
        self.kind = kind
    }

    public var description: String {
        if let field { return "\(code) (\(field)): \(message)" }
        return "\(code): \(message)"
    }
}

import Foundation

/// A login name: 3–32 characters of lower-case ASCII letters, digits, `.`, `_` and `-`, starting
/// with a letter. Kept ASCII so it can be typed on any phone keyboard and compared exactly.
public struct Username: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The normalised (lower-cased, trimmed) name.
    public let value: String

    /// Validates and normalises a login name.
    public init(_ text: String, field: String = "username") throws(DomainError) {
        let normalised = text.trimmed.lowercased()
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (3...32).contains(normalised.count),
            let first = normalised.first, first.isASCII, first.isLetter,
            normalised.allSatisfy({ allowed.contains($0) })
        else {
            throw DomainError(
                code: "invalid_username",
                message: "用户名「\(text)」不合规：须为 3–32 位小写英文字母、数字或 . _ -，并以字母开头",
                field: field
            )
        }
        self.value = normalised
    }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

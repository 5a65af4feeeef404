import Foundation

/// 统一社会信用代码, GB 32100-2015: registration authority, category, 6-digit division code,
/// 9-character organisation code, check character; alphabet of 31 characters without I, O, S, V, Z.
public struct CreditCode: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 18 characters, upper-case.
    public let value: String

    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    /// W_i = 3^(i−1) mod 31 for positions 1–17.
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// The check character for the first 17 characters. C18 = (31 − Σ mod 31) mod 31: when the
    /// sum is a multiple of 31 the check is '0', not alphabet[31] (a bug of several public snippets).
    public static func checkCharacter(for body: some Collection<Character>) -> Character {
        let sum = zip(body, weights).reduce(0) { $0 + alphabet.firstIndex(of: $1.0)! * $1.1 }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// Validates a code (lower case accepted).
    public init(_ text: String, field: String = "idNumber") throws(DomainError) {
        let raw = text.trimmed.uppercased()
        func reject(_ code: String, _ why: String) -> DomainError {
            DomainError(code: code, message: "统一社会信用代码「\(text)」\(why)", field: field)
        }
        guard raw.count == 18 else { throw reject("invalid_credit_code", "长度为 \(raw.count) 位：须为 18 位") }
        let chars = Array(raw)
        if let bad = chars.first(where: { !Self.alphabet.contains($0) }) {
            throw reject("invalid_credit_code", "含有不允许的字符「\(bad)」：只能用数字和除 I、O、S、V、Z 以外的大写字母")
        }
        let expected = Self.checkCharacter(for: chars.prefix(17))
        guard chars[17] == expected else {
            throw reject("credit_code_check_failed", "校验码错误：按 GB 32100 应为 \(expected)")
        }
        self.value = raw
    }

    /// The 6-digit division code (positions 3–8).
    public var regionCode: String { String(Array(value)[2..<8]) }

    /// The embedded organisation code (positions 9–17).
    public var organizationCode: String { String(Array(value)[8..<17]) }

    public var description: String { value }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try CreditCode(text) } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.message, underlyingError: error))
        }
    }
}

/// 组织机构代码, GB 11714: the 9-character code organisations had before the credit code
/// (`XXXXXXXX-X`), still found in old cases. Kept as legacy, never upgraded.
public struct OrganizationCode: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 9 characters without the hyphen, upper-case.
    public let value: String

    static let weights = [3, 7, 9, 10, 5, 8, 4, 2]

    static func value(of character: Character) -> Int? {
        if character.isASCIIDigit { return Int(String(character)) }
        guard character.isASCII, character.isUppercase, let ascii = character.asciiValue else { return nil }
        return Int(ascii) - 55  // A = 10 … Z = 35
    }

    /// check = 11 − (Σ mod 11); 10 is written X and 11 is written 0; nil when a character is not
    /// a digit or an upper-case letter.
    public static func checkCharacter(for body: some Collection<Character>) -> Character? {
        var sum = 0
        for (character, weight) in zip(body, weights) {
            guard let v = value(of: character) else { return nil }
            sum += v * weight
        }
        switch 11 - sum % 11 {
        case 10: return "X"
        case 11: return "0"
        case let n: return Character(String(n))
        }
    }

    /// Validates `XXXXXXXX-X` or the same 9 characters without the hyphen.
    public init(_ text: String, field: String = "idNumber") throws(DomainError) {
        var raw = text.trimmed.uppercased()
        if raw.count == 10, Array(raw)[8] == "-" { raw.remove(at: raw.index(raw.startIndex, offsetBy: 8)) }
        func reject(_ code: String, _ why: String) -> DomainError {
            DomainError(code: code, message: "组织机构代码「\(text)」\(why)", field: field)
        }
        guard raw.count == 9 else { throw reject("invalid_organization_code", "须为 9 位（可写作 XXXXXXXX-X）") }
        let chars = Array(raw)
        guard let expected = Self.checkCharacter(for: chars.prefix(8)) else {
            throw reject("invalid_organization_code", "前 8 位只能是数字或大写字母")
        }
        guard chars[8] == expected else { throw reject("organization_code_check_failed", "校验码错误：按 GB 11714 应为 \(expected)") }
        self.value = raw
    }

    /// Printed form `XXXXXXXX-X`.
    public var description: String { String(value.prefix(8)) + "-" + String(value.suffix(1)) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try OrganizationCode(text) } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.message, underlyingError: error))
        }
    }
}

import Foundation

/// An amount of money in integer 分 (fen). No floating point anywhere: `50000.5` yuan is exactly
/// 5,000,050 分.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The amount in 分.
    public let fen: Int64

    public init(fen: Int64) { self.fen = fen }

    public static let zero = Money(fen: 0)

    /// Parses a yuan amount as exports write it: `120000`, `120,000.00`, `50000.5`, optionally with
    /// `¥` before or `元` after. At most 2 decimals; commas only between groups of three digits.
    /// Negative amounts are refused here; a caller that needs a positive amount checks that too.
    public static func parseYuan(_ text: String, field: String = "amount") throws(DomainError) -> Money {
        var value = text.trimmed
        let accepted = "可用格式：120000、120,000.00、50000.5（元，最多两位小数）"
        if value.hasPrefix("¥") || value.hasPrefix("￥") { value.removeFirst() }
        if value.hasSuffix("元") { value.removeLast() }
        value = value.trimmed
        if value.hasPrefix("-") || value.hasPrefix("−") {
            throw DomainError(code: "negative_amount", message: "金额「\(text)」不能为负数", field: field)
        }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty else {
            throw DomainError(code: "invalid_amount", message: "金额「\(text)」无法识别。\(accepted)", field: field)
        }
        let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
        let integerDigits = groups.joined()
        let groupingIsValid =
            groups.count == 1
            || (!groups[0].isEmpty && groups[0].count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 })
        guard groupingIsValid, !integerDigits.isEmpty, integerDigits.allSatisfy(\.isASCIIDigit) else {
            throw DomainError(code: "invalid_amount", message: "金额「\(text)」无法识别。\(accepted)", field: field)
        }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.allSatisfy(\.isASCIIDigit), parts.count == 1 || !fraction.isEmpty else {
            throw DomainError(code: "invalid_amount", message: "金额「\(text)」无法识别。\(accepted)", field: field)
        }
        guard fraction.count <= 2 else {
            throw DomainError(code: "too_many_decimals", message: "金额「\(text)」最多两位小数（到分）", field: field)
        }
        fraction = fraction.padding(toLength: 2, withPad: "0", startingAt: 0)
        guard integerDigits.count <= 15, let yuan = Int64(integerDigits), let cents = Int64(fraction) else {
            throw DomainError(code: "amount_too_large", message: "金额「\(text)」过大", field: field)
        }
        return Money(fen: yuan * 100 + cents)
    }

    /// `¥120,000.00`.
    public var formatted: String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let yuan = String(magnitude / 100)
        var grouped = ""
        for (index, character) in yuan.enumerated() {
            if index > 0 && (yuan.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return "\(sign)¥\(grouped).\(String(magnitude % 100).leftPadded(2))"
    }

    /// Reports' style in 万元 with up to two decimals, rounded half up: 12万元, 3071.89万元.
    public var wanYuan: String {
        // 1 万元 = 1,000,000 分; two decimals of 万元 are units of 10,000 分 (100 元).
        let sign = fen < 0 ? "-" : ""
        let units = (fen.magnitude + 5_000) / 10_000
        let whole = units / 100
        let hundredths = units % 100
        var text = String(whole)
        if hundredths != 0 {
            var decimals = String(hundredths).leftPadded(2)
            if decimals.hasSuffix("0") { decimals.removeLast() }
            text += "." + decimals
        }
        return "\(sign)\(text)万元"
    }

    /// Yuan with two decimals and no grouping, `120000.00`, for exports.
    public var plainYuan: String {
        let sign = fen < 0 ? "-" : ""
        return "\(sign)\(fen.magnitude / 100).\(String(fen.magnitude % 100).leftPadded(2))"
    }

    public var description: String { formatted }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen + rhs.fen) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen - rhs.fen) }

    /// Encoded as the integer number of 分 (API fields are named `…Fen`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fen)
    }

    public init(from decoder: any Decoder) throws {
        fen = try decoder.singleValueContainer().decode(Int64.self)
    }
}

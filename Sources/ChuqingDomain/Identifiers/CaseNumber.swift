import Foundation

/// 案号 under 法〔2015〕137号 (in force 2016-01-01, amended 法〔2018〕335号):
/// `（收案年度）法院代字[专门审判代字]类型代字案件编号号`, e.g. （2024）赣0732执恢88号.
///
/// Accepts half-width `()`, `〔〕`, `[]` and `【】` brackets and stores the canonical full-width
/// `（）` form, so every spelling of one number is one case. Numbers from before 2016
/// (`（2004）兴法执字第00123号`) are kept as legacy text without inventing fields.
public struct CaseNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The canonical form, as stored and printed.
    public let canonical: String
    /// 收案年度.
    public let year: Int
    /// 法院代字 (赣0732); nil for legacy numbers.
    public let courtCode: String?
    /// 专门审判代字, one character, when present.
    public let specialCode: String?
    /// 类型代字 (执, 执恢, 民初 …); nil for legacy numbers.
    public let typeCode: String?
    /// 案件编号, a natural number from 1 per court, year and type code; nil for legacy numbers.
    public let sequence: Int?

    /// Whether this is a pre-2016 number kept as text.
    public var isLegacy: Bool { typeCode == nil }

    /// Enforcement type codes (类型代字 of 执行案件).
    public static let enforcementTypeCodes: Set<String> = ["执", "执恢", "执保", "执异", "执复", "执监", "执协", "执他"]

    /// Type codes accepted: enforcement, the related sanction and bankruptcy codes, and the codes
    /// of the documents enforcement is based on (judgments and rulings).
    public static let knownTypeCodes: Set<String> = enforcementTypeCodes.union([
        "司惩", "司惩复", "破申", "破",
        "民初", "民终", "民再", "民申", "民监", "民特", "民辖", "民催", "民督", "民撤", "民他",
        "刑初", "刑终", "刑再", "刑申", "刑监", "刑更", "刑他", "刑医",
        "行初", "行终", "行再", "行申", "行审", "行监", "行他",
        "财保", "诉前调", "赔", "委赔",
    ])

    /// 专门审判代字 accepted before a type code (知 intellectual property, 金 financial, 环
    /// environmental). A small known set, so that a misspelt type code such as 恢执 is refused
    /// rather than read as 恢 + 执.
    public static let specialCodes: Set<String> = ["知", "金", "环"]

    /// 省级行政区简称 that start a court code (内 for 内蒙古, 兵 and 军 for the special courts).
    static let provinceAbbreviations: Set<Character> = Set("京津冀晋内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵军")

    /// Parses any accepted spelling; the error says which part is wrong.
    public init(_ text: String, field: String = "caseNumber") throws(DomainError) {
        let original = text
        var value = ""
        for character in text where !character.isWhitespace {
            switch character {
            case "(", "〔", "[", "【", "［": value.append("（")
            case ")", "〕", "]", "】", "］": value.append("）")
            default:
                // Full-width digits (０–９) are common in typed numbers.
                if let scalar = character.unicodeScalars.first, (0xFF10...0xFF19).contains(scalar.value) {
                    value.append(Character(UnicodeScalar(scalar.value - 0xFF10 + 0x30)!))
                } else {
                    value.append(character)
                }
            }
        }
        func reject(_ why: String) -> DomainError {
            DomainError(
                code: "invalid_case_number",
                message: "案号「\(original)」\(why)。正确格式如（2023）赣0732执1022号", field: field)
        }
        let chars = Array(value)
        guard chars.count >= 8, chars[0] == "（", chars[5] == "）", chars[1...4].allSatisfy(\.isASCIIDigit) else {
            throw reject("须以括号中的四位年份开头")
        }
        guard chars.last == "号" else { throw reject("须以「号」结尾") }
        let year = Int(String(chars[1...4]))!
        let body = Array(chars[6..<(chars.count - 1)])  // between （年） and 号

        if value.contains("字第") {
            // Pre-2016: （2004）兴法执字第00123号. Kept whole; the zero padding is part of the number.
            guard let last = body.last, last.isASCIIDigit, body.count > 3 else { throw reject("旧案号的编号须为数字") }
            self.canonical = value
            self.year = year
            self.courtCode = nil
            self.specialCode = nil
            self.typeCode = nil
            self.sequence = nil
            return
        }

        // Sequence: the digits before 号.
        var digitStart = body.count
        while digitStart > 0 && body[digitStart - 1].isASCIIDigit { digitStart -= 1 }
        guard digitStart < body.count else { throw reject("缺少案件编号（「号」前的数字）") }
        guard let sequence = Int(String(body[digitStart...])), sequence >= 1 else { throw reject("的案件编号须从 1 开始") }

        // Court code: 最高法, or a province abbreviation with 0, 2 or 4 digits.
        let head = Array(body[..<digitStart])
        var courtLength: Int
        if head.starts(with: Array("最高法")) {
            courtLength = 3
        } else {
            guard let first = head.first, Self.provinceAbbreviations.contains(first) else {
                throw reject("的法院代字须以省级简称（如「赣」）或「最高法」开头")
            }
            var digits = 0
            while 1 + digits < head.count && head[1 + digits].isASCIIDigit { digits += 1 }
            guard [0, 2, 4].contains(digits) else { throw reject("的法院代字数字须为 2 位（中级法院）或 4 位（基层法院）") }
            courtLength = 1 + digits
        }
        let rest = String(head[courtLength...])
        guard !rest.isEmpty else { throw reject("缺少类型代字（如「执」）") }
        // The type code is the longest known code ending the rest; one character before it may
        // be a 专门审判代字. 执恢 is one code, never 执 + 恢.
        var typeCode: String?
        var special: String?
        if Self.knownTypeCodes.contains(rest) {
            typeCode = rest
        } else if rest.count >= 2, Self.specialCodes.contains(String(rest.prefix(1))),
            Self.knownTypeCodes.contains(String(rest.dropFirst()))
        {
            typeCode = String(rest.dropFirst())
            special = String(rest.prefix(1))
        }
        guard let typeCode else { throw reject("的类型代字「\(rest)」无法识别") }

        self.year = year
        self.courtCode = String(head[..<courtLength])
        self.specialCode = special
        self.typeCode = typeCode
        self.sequence = sequence
        // Art. 10: numbers are natural numbers without zero padding.
        self.canonical = "（\(year)）\(self.courtCode!)\(special ?? "")\(typeCode)\(sequence)号"
    }

    /// Whether this is an enforcement case (执, 执恢, …) rather than, say, a judgment's number.
    public var isEnforcement: Bool {
        guard let typeCode else { return canonical.contains("执字") }
        return Self.enforcementTypeCodes.contains(typeCode)
    }

    public var description: String { canonical }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(canonical)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try CaseNumber(text) } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.message, underlyingError: error))
        }
    }
}

/// Which part of the township network a liaison is (glossary: 执行专员 / 联络员 / 协助执行员).
/// All three see the debtors of their township; a commissioner also sees the township's villages
/// and liaisons, and the other two work in one village of it.
public enum LiaisonKind: String, CaseIterable, Codable, Sendable {
    /// 乡镇执行专员: one per township, coordinates its villages.
    case commissioner
    /// 村（社区）联络员.
    case villageLiaison
    /// 协助执行员: grid workers, village cadres, mediators who help find debtors.
    case assistant

    public var chinese: String {
        switch self {
        case .commissioner: "执行专员"
        case .villageLiaison: "联络员"
        case .assistant: "协助执行员"
        }
    }

    /// Village liaisons and assisting enforcers work in one village; a commissioner in the township.
    public var isBoundToVillage: Bool { self != .commissioner }

    public static func parse(_ text: String) throws(DomainError) -> LiaisonKind {
        guard let kind = LiaisonKind(rawValue: text.trimmed) else {
            throw DomainError(
                code: "unknown_liaison_kind",
                message: "联络员类别「\(text)」无法识别；可用：\(allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
                field: "liaisonKind")
        }
        return kind
    }
}

/// A telephone number as staff type it: digits with optional +, spaces, dashes and parentheses,
/// 5 to 20 characters (an office extension such as 0797-5321234 转 801 is written 0797-5321234-801).
public enum PhoneNumber {
    public static func check(_ raw: String, field: String) throws(DomainError) -> String {
        let text = raw.trimmed
        let allowed = Set("0123456789+-() ")
        guard (5...20).contains(text.count), text.allSatisfy({ allowed.contains($0) }), text.filter(\.isNumber).count >= 5 else {
            throw DomainError(
                code: "invalid_phone", message: "电话号码「\(raw)」不合规：须为 5–20 位，只含数字、空格、+、-、括号（如 0797-5321234）",
                field: field)
        }
        return text
    }
}

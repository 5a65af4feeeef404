/// The special teams (专项组) a batch's cases are assigned to.
public enum Team: String, CaseIterable, Codable, Sendable {
    /// 涉公职人员案件组: debtors who are public officials (their employers and the discipline
    /// commission are told).
    case publicOfficials
    /// 和解推进组: cases where a settlement with the applicant looks possible.
    case settlement
    /// 拒执打击组: refusal to execute (fines, detention, transfer to the police).
    case refusalToExecute
    /// The general pool: every other case.
    case general

    public var chinese: String {
        switch self {
        case .publicOfficials: "涉公职人员案件组"
        case .settlement: "和解推进组"
        case .refusalToExecute: "拒执打击组"
        case .general: "综合组"
        }
    }

    public static func parse(_ text: String, field: String = "team") throws(DomainError) -> Team {
        let value = text.trimmed
        if let team = Team(rawValue: value) ?? allCases.first(where: { $0.chinese == value }) { return team }
        throw DomainError(
            code: "unknown_team",
            message: "专项组「\(text)」无法识别；可用：\(allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
            field: field)
    }
}

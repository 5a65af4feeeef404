/// The six circumstances of 法释〔2013〕17号 art. 1 as amended by 法释〔2017〕7号 (rules.md §1), in the
/// 2017 order. Records made before 2017 use the 2013 order and wording; `parse` reads both.
public enum DishonestyCircumstance: Int, CaseIterable, Codable, Sendable {
    case ableButRefusing = 1
    case obstructingByForgeryOrViolence = 2
    case evadingByFalseLitigationOrConcealment = 3
    case violatingPropertyReporting = 4
    case violatingConsumptionRestriction = 5
    case refusingSettlementWithoutReason = 6

    /// The law's words (2017 text), as a notice prints them.
    public var text: String {
        switch self {
        case .ableButRefusing: "有履行能力而拒不履行生效法律文书确定义务的"
        case .obstructingByForgeryOrViolence: "以伪造证据、暴力、威胁等方法妨碍、抗拒执行的"
        case .evadingByFalseLitigationOrConcealment: "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行的"
        case .violatingPropertyReporting: "违反财产报告制度的"
        case .violatingConsumptionRestriction: "违反限制消费令的"
        case .refusingSettlementWithoutReason: "无正当理由拒不履行执行和解协议的"
        }
    }

    /// Circumstances 2–6 carry a fixed term (art. 2); circumstance 1 has none.
    public var hasFixedTerm: Bool { self != .ableButRefusing }

    /// The 2013 wording, which old records carry: 违反限制**高**消费令, and "其他有履行能力…" sixth.
    static let text2013: [String: DishonestyCircumstance] = [
        "以伪造证据、暴力、威胁等方法妨碍、抗拒执行的": .obstructingByForgeryOrViolence,
        "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行的": .evadingByFalseLitigationOrConcealment,
        "违反财产报告制度的": .violatingPropertyReporting,
        "违反限制高消费令的": .violatingConsumptionRestriction,
        "被执行人无正当理由拒不履行执行和解协议的": .refusingSettlementWithoutReason,
        "其他有履行能力而拒不履行生效法律文书确定义务的": .ableButRefusing,
    ]

    /// A number 1–6 (2017 order), or the text of either version.
    public static func parse(_ text: String, field: String = "circumstances") throws(DomainError) -> DishonestyCircumstance {
        let value = text.trimmed
        if let value = Int(value) { return try Self.number(value, field: field) }
        if let found = allCases.first(where: { $0.text == value }) ?? text2013[value] { return found }
        throw DomainError(
            code: "invalid_circumstance",
            message: "失信情形「\(text)」无法识别；请用 1–6（法释〔2017〕7号第一条各项）或该项原文", field: field)
    }

    public static func number(_ number: Int, field: String = "circumstances") throws(DomainError) -> DishonestyCircumstance {
        guard let circumstance = DishonestyCircumstance(rawValue: number) else {
            throw DomainError(
                code: "invalid_circumstance",
                message: "失信情形须为 1–6（法释〔2017〕7号第一条各项），收到 \(number)", field: field)
        }
        return circumstance
    }
}

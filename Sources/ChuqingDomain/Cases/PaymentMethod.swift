/// How a payment towards the judgment was made.
public enum PaymentMethod: String, CaseIterable, Sendable, Codable {
    /// 自动履行: the debtor paid.
    case voluntary
    /// 扣划: deducted from an account the court froze.
    case deduction
    /// 拍卖: the proceeds of a judicial auction.
    case auction
    /// 和解分期: an instalment under a settlement (执行和解).
    case settlementInstalment

    /// The name a person reads.
    public var chinese: String {
        switch self {
        case .voluntary: "自动履行"
        case .deduction: "扣划"
        case .auction: "拍卖"
        case .settlementInstalment: "和解分期"
        }
    }

    /// Reads the API's and the form's name of a method.
    public static func parse(_ text: String, field: String = "method") throws(DomainError) -> PaymentMethod {
        guard let method = PaymentMethod(rawValue: text) else {
            throw DomainError(
                code: "unknown_payment_method",
                message: "履行方式「\(text)」无法识别；可用：\(allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
                field: field)
        }
        return method
    }
}

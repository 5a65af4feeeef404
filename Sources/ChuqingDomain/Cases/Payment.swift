import Foundation

/// A payment towards the judgment, recorded in Chuqing (履行款项), checked against the case.
public struct Payment: Sendable, Equatable {
    public let amount: Money
    public let receivedOn: CalendarDate
    public let method: PaymentMethod
    /// What a payment above the unperformed amount is for (迟延履行利息, 执行费, …); nil when it
    /// is within what is left to pay.
    public let excessReason: String?

    /// A payment of `amount` received on `receivedOn`: more than nothing, not before the case
    /// was filed, and not after today (it records what has happened). `amountField` names the
    /// amount as the caller gave it (`amountFen` in the API, `amount` in 元 on the page).
    public init(
        amount: Money, receivedOn: CalendarDate, method: PaymentMethod, filedOn: CalendarDate, today: CalendarDate,
        amountField: String = "amountFen", excessReason: String? = nil
    ) throws(DomainError) {
        guard amount.fen > 0 else {
            throw DomainError(code: "invalid_amount", message: "履行金额须大于 0（单位：分；页面以元计）", field: amountField)
        }
        try receivedOn.mustHaveHappened(by: today, "到账日期", field: "receivedOn")
        guard receivedOn >= filedOn else {
            throw DomainError(code: "date_before_filing", message: "到账日期 \(receivedOn) 早于立案日期 \(filedOn)", field: "receivedOn")
        }
        self.amount = amount
        self.receivedOn = receivedOn
        self.method = method
        let reason = excessReason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        self.excessReason = reason.isEmpty ? nil : reason
    }

    /// A payment above what is left to pay is a typing error more often than not (a ¥200,000
    /// payment on a ¥127,626 case), and it would clear the case and end its listing: it is refused
    /// unless it says what the excess is — 迟延履行利息 (民事诉讼法 art. 264), 执行费 — which the
    /// judgment's 未履行金额 does not include.
    public func checkWithin(unperformed: Money, amountField: String = "amountFen") throws(DomainError) {
        guard amount > unperformed, excessReason == nil else { return }
        throw DomainError(
            code: "payment_exceeds_unperformed",
            message:
                "履行金额 \(amount.formatted) 超过未履行金额 \(unperformed.formatted)（超出 \((amount - unperformed).formatted)）。"
                + "请核对金额；如超出部分是迟延履行利息、执行费等，请在「超出部分说明」（excessReason）中写明",
            field: amountField)
    }

    /// A reversal says why the payment was wrong; the payment stays on record.
    public static func reversalReason(_ reason: String) throws(DomainError) -> String {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw DomainError(code: "reason_required", message: "撤销履行记录须写明原因（如金额录错、款项退回）", field: "reason")
        }
        guard trimmed.count <= 500 else {
            throw DomainError(code: "reason_too_long", message: "原因最多 500 字，现有 \(trimmed.count) 字", field: "reason")
        }
        return trimmed
    }
}

/// A payment towards the judgment, recorded in Chuqing (履行款项), checked against the case.
public struct Payment: Sendable, Equatable {
    public let amount: Money
    public let receivedOn: CalendarDate
    public let method: PaymentMethod

    /// A payment of `amount` received on `receivedOn`: more than nothing, not before the case
    /// was filed, and not after today (it records what has happened). `amountField` names the
    /// amount as the caller gave it (`amountFen` in the API, `amount` in 元 on the page).
    public init(
        amount: Money, receivedOn: CalendarDate, method: PaymentMethod, filedOn: CalendarDate, today: CalendarDate,
        amountField: String = "amountFen"
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
    }
}

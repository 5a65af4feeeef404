/// Enforcement measures (执行措施) a judge records on a case during a campaign.
public enum MeasureKind: String, CaseIterable, Codable, Sendable {
    case search, summons, detention, fine, vehicleSeizure, sealing, freezing, deduction, consumptionRestriction

    /// What a measure of this kind is counted in.
    public enum Quantity: Sendable, Equatable {
        /// Persons (搜查 in person-times, 拘传 and 拘留 in persons).
        case persons
        /// Money in 分 (罚款).
        case amount
        /// Items (vehicles seized, properties sealed, accounts frozen or deducted, orders issued).
        case count
    }

    public var quantity: Quantity {
        switch self {
        case .search, .summons, .detention: .persons
        case .fine: .amount
        case .vehicleSeizure, .sealing, .freezing, .deduction, .consumptionRestriction: .count
        }
    }

    public var chinese: String {
        switch self {
        case .search: "搜查"
        case .summons: "拘传"
        case .detention: "拘留"
        case .fine: "罚款"
        case .vehicleSeizure: "扣押车辆"
        case .sealing: "查封"
        case .freezing: "冻结"
        case .deduction: "扣划"
        case .consumptionRestriction: "限制消费令"
        }
    }

    /// The unit a bulletin writes after the figure (搜查129人次, 拘传203人, 扣押车辆5辆).
    public var unit: String {
        switch self {
        case .search: "人次"
        case .summons, .detention: "人"
        case .fine: "元"
        case .vehicleSeizure: "辆"
        case .sealing, .freezing, .deduction: "项"
        case .consumptionRestriction: "份"
        }
    }

    /// The verbs the asset look-up issue names the measures on a finding by (查封 seal, 扣押
    /// seize, 冻结 freeze, 扣划 deduct); 扣押 is counted with the vehicles seized, the thing a
    /// county court seizes.
    static let aliases: [String: MeasureKind] = [
        "seal": .sealing, "seize": .vehicleSeizure, "扣押": .vehicleSeizure, "freeze": .freezing,
        "deduct": .deduction,
    ]

    public static func parse(_ text: String, field: String = "kind") throws(DomainError) -> MeasureKind {
        let value = text.trimmed
        if let kind = MeasureKind(rawValue: value) ?? allCases.first(where: { $0.chinese == value }) ?? aliases[value] { return kind }
        throw DomainError(
            code: "unknown_measure_kind",
            message: "措施种类「\(text)」无法识别；可用：\(allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
            field: field)
    }
}

/// A measure as recorded: checked once here, then trusted.
public struct Measure: Sendable, Equatable {
    public let kind: MeasureKind
    public let on: CalendarDate
    /// Persons for search, summons and detention; nil otherwise.
    public let persons: Int?
    /// Items for seizures, seals, freezes, deductions and orders; nil otherwise.
    public let count: Int?
    /// The fine in 分; for a freeze or deduction, the amount concerned when known.
    public let amountFen: Int64?
    /// 决定书、裁定书 or 搜查令 number: every coercive measure rests on a document.
    public let documentNumber: String

    /// The figure this measure adds to its kind's total (persons, items or 分).
    public var quantity: Int64 {
        switch kind.quantity {
        case .persons: Int64(persons ?? 0)
        case .count: Int64(count ?? 0)
        case .amount: amountFen ?? 0
        }
    }

    /// Checks a measure for a case filed on `filedOn`, recorded on `today`. Each kind needs its own
    /// figure: persons for 搜查/拘传/拘留, a positive amount for 罚款, a number of items (1 when not
    /// given) for the others.
    public init(
        kind: MeasureKind, on: CalendarDate, persons: Int?, count: Int?, amountFen: Int64?, documentNumber: String?,
        filedOn: CalendarDate, today: CalendarDate
    ) throws(DomainError) {
        guard on >= filedOn else {
            throw DomainError(code: "date_before_filing", message: "措施日期 \(on) 早于立案日期 \(filedOn)", field: "on")
        }
        try on.mustHaveHappened(by: today, "措施日期", field: "on")
        let document = documentNumber?.trimmed ?? ""
        guard !document.isEmpty else {
            throw DomainError(
                code: "document_number_required",
                message: "\(kind.chinese)须填写所依据的文书文号（决定书、裁定书或搜查令）", field: "documentNumber")
        }
        if let amountFen, amountFen < 0 {
            throw DomainError(code: "invalid_amount", message: "金额不能为负数（收到 \(Money(fen: amountFen).formatted)）", field: "amountFen")
        }
        switch kind.quantity {
        case .persons:
            guard let persons, (1...10_000).contains(persons) else {
                throw DomainError(
                    code: "persons_required",
                    message: "\(kind.chinese)须填写人数（\(kind.unit)），1 至 10000（收到 \(persons.map(String.init) ?? "空")）",
                    field: "persons")
            }
            self.persons = persons
            self.count = nil
        case .amount:
            guard let amountFen, amountFen > 0 else {
                throw DomainError(code: "fine_amount_required", message: "罚款须填写大于 0 的金额（amountFen，单位：分）", field: "amountFen")
            }
            self.persons = nil
            self.count = nil
        case .count:
            let items = count ?? 1
            guard (1...10_000).contains(items) else {
                throw DomainError(code: "invalid_count", message: "\(kind.chinese)的数量须为 1 至 10000（收到 \(items)）", field: "count")
            }
            self.persons = nil
            self.count = items
        }
        self.kind = kind
        self.on = on
        self.amountFen = amountFen
        self.documentNumber = document
    }
}

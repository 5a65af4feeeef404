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
    /// The person a fine, detention or summons is imposed on (required for 罚款 and 拘留).
    public let subject: SanctionSubject?
    /// The obstructive act the fine or detention punishes (民事诉讼法 arts. 114–117).
    public let act: String?
    /// A detention's days (1–15).
    public let days: Int?
    /// The 人大主席团 or 常委会's permission for detaining or summoning a 县级 or higher deputy.
    public let deputyPermission: String?

    /// The sanction's parts, given with a fine, detention or summons.
    public struct SanctionPart: Sendable, Equatable {
        public var subject: SanctionSubject?
        public var act: String?
        public var days: Int?
        public var deputyPermission: String?

        public init(subject: SanctionSubject?, act: String?, days: Int?, deputyPermission: String?) {
            self.subject = subject
            self.act = act
            self.days = days
            self.deputyPermission = deputyPermission
        }

        public static let empty = SanctionPart(subject: nil, act: nil, days: nil, deputyPermission: nil)
    }

    /// The key of the act for the rule that the same act is not fined or detained twice
    /// (民诉法解释 art. 184): the act's text folded like a name.
    public var actKey: String? { act.map(PersonName.folded) }

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
    /// given) for the others. A fine and a detention name their person and act and keep the bounds
    /// of 民事诉讼法 art. 118 (`SanctionRules`).
    public init(
        kind: MeasureKind, on: CalendarDate, persons: Int?, count: Int?, amountFen: Int64?, documentNumber: String?,
        sanction: SanctionPart = .empty, filedOn: CalendarDate, today: CalendarDate
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
        if kind == .fine || kind == .detention, sanction.subject == nil {
            throw DomainError(
                code: "sanction_subject_required",
                message: "\(kind.chinese)须指明被处罚人：本案被执行人（debtorId），或其他人的姓名/名称（personName）及类型（personKind）",
                field: "debtorId")
        }
        if let amountFen, amountFen < 0 {
            throw DomainError(code: "invalid_amount", message: "金额不能为负数（收到 \(Money(fen: amountFen).formatted)）", field: "amountFen")
        }
        switch kind.quantity {
        case .persons where sanction.subject != nil:
            // A named person is one person.
            guard persons == nil || persons == 1 else {
                throw DomainError(
                    code: "invalid_persons", message: "指明被\(kind.chinese)人时人数为 1（收到 \(persons!)）；多人请逐人记录", field: "persons")
            }
            self.persons = 1
            self.count = nil
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
        var act: String? = nil
        var days: Int? = nil
        var permission: String? = nil
        if kind == .fine || kind == .detention || kind == .summons {
            if kind != .summons {
                guard let given = sanction.act?.trimmed, !given.isEmpty else {
                    throw DomainError(code: "act_required", message: "\(kind.chinese)须写明所处罚的妨害执行行为（act），如「拒不报告财产」", field: "act")
                }
                guard given.count <= 500 else {
                    throw DomainError(code: "act_too_long", message: "妨害执行行为不超过 500 字（收到 \(given.count) 字）", field: "act")
                }
                act = given
            }
            if let subject = sanction.subject {
                // A unit can be fined (民事诉讼法 art. 118 ¶1), but 拘留 and 拘传 restrict a person's
                // liberty: for a unit they fall on its principal or directly responsible officers
                // (arts. 117–118), named as persons.
                if kind != .fine && subject.kind == .unit {
                    throw DomainError(
                        code: "unit_cannot_be_detained",
                        message: "\(kind.chinese)只能对个人；对单位的，请对其主要负责人或者直接责任人员\(kind.chinese)，填写其姓名（personName）",
                        field: "debtorId")
                }
                if kind == .fine, let amountFen { try SanctionRules.checkFine(Money(fen: amountFen), on: subject.kind) }
                try SanctionRules.checkDeputy(subject, kind: kind, permission: sanction.deputyPermission)
                permission = sanction.deputyPermission?.trimmed.nilIfEmpty
            }
            if kind == .detention { days = try SanctionRules.checkDetention(days: sanction.days) }
        }
        if kind != .detention, let given = sanction.days {
            throw DomainError(code: "days_not_applicable", message: "只有拘留填写天数（收到 \(given) 日，措施为\(kind.chinese)）", field: "days")
        }
        self.kind = kind
        self.on = on
        self.amountFen = amountFen
        self.documentNumber = document
        self.subject = kind == .fine || kind == .detention || kind == .summons ? sanction.subject : nil
        self.act = act
        self.days = days
        self.deputyPermission = permission
    }
}

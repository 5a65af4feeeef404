import Foundation

/// The person a fine, a detention or a summons (拘传) is imposed on: the debtor, or another
/// person who obstructs enforcement (民事诉讼法 arts. 114–117: a witness who lies, a unit that
/// refuses to assist, its principal or directly responsible officer).
public struct SanctionSubject: Sendable, Equatable {
    /// Individual or unit: the fine's bounds differ (民事诉讼法 art. 118).
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case individual, unit

        public var chinese: String { self == .individual ? "个人" : "单位" }

        public static func parse(_ text: String, field: String = "personKind") throws(DomainError) -> Kind {
            let value = text.trimmed
            if let kind = Kind(rawValue: value) ?? allCases.first(where: { $0.chinese == value }) { return kind }
            throw DomainError(code: "unknown_person_kind", message: "被处罚人类型「\(text)」无法识别；可用：individual（个人）、unit（单位）", field: field)
        }
    }

    /// The debtor's id when the subject is a debtor of the case.
    public let debtorID: UUID?
    public let name: String
    public let kind: Kind
    /// The congress level when the subject is a 人大代表 (代表法 art. 39).
    public let deputyLevel: DeputyLevel?

    public init(debtorID: UUID?, name: String, kind: Kind, deputyLevel: DeputyLevel?) {
        self.debtorID = debtorID
        self.name = name
        self.kind = kind
        self.deputyLevel = deputyLevel
    }

    /// The key that tells one person from another for the rule against sanctioning the same act
    /// twice: the debtor's id, or the folded name of another person.
    public var key: String { debtorID.map { "debtor:\($0.uuidString.lowercased())" } ?? "name:\(PersonName.folded(name))" }
}

/// The law's bounds on 罚款 and 拘留 (民事诉讼法 arts. 118–119; 民诉法解释 arts. 183–185).
public enum SanctionRules {
    /// Art. 118 ¶1: a fine on an individual is at most ¥100,000.
    public static let individualFineMaximum = Money(fen: 10_000_000)
    /// Art. 118 ¶1: a fine on a unit is ¥50,000 to ¥1,000,000.
    public static let unitFineRange = Money(fen: 5_000_000)...Money(fen: 100_000_000)
    /// Art. 118 ¶2: detention is at most 15 days.
    public static let detentionDays = 1...15

    /// The bounds a fine on `kind` must keep.
    public static func checkFine(_ amount: Money, on kind: SanctionSubject.Kind) throws(DomainError) {
        switch kind {
        case .individual:
            guard amount <= individualFineMaximum else {
                throw DomainError(
                    code: "fine_above_limit",
                    message: "对个人的罚款金额为人民币十万元以下（民事诉讼法第一百一十八条），收到 \(amount.formatted)", field: "amountFen")
            }
        case .unit:
            guard amount >= unitFineRange.lowerBound else {
                throw DomainError(
                    code: "fine_below_minimum",
                    message: "对单位的罚款金额为人民币五万元以上一百万元以下（民事诉讼法第一百一十八条），收到 \(amount.formatted)", field: "amountFen")
            }
            guard amount <= unitFineRange.upperBound else {
                throw DomainError(
                    code: "fine_above_limit",
                    message: "对单位的罚款金额为人民币五万元以上一百万元以下（民事诉讼法第一百一十八条），收到 \(amount.formatted)", field: "amountFen")
            }
        }
    }

    /// The days of a detention: 1 to 15.
    public static func checkDetention(days: Int?) throws(DomainError) -> Int {
        guard let days else {
            throw DomainError(code: "days_required", message: "拘留须填写拘留天数（days），1 至 15 日", field: "days")
        }
        guard days <= detentionDays.upperBound else {
            throw DomainError(
                code: "detention_above_limit", message: "拘留的期限为十五日以下（民事诉讼法第一百一十八条），收到 \(days) 日", field: "days")
        }
        guard days >= detentionDays.lowerBound else {
            throw DomainError(code: "invalid_days", message: "拘留天数须为 1 至 15 日，收到 \(days) 日", field: "days")
        }
        return days
    }

    /// 代表法 art. 39: 拘留 or 拘传 of a 县级 or higher deputy needs the recorded permission of the
    /// congress's 主席团 or 常委会 (its document number); a 乡级 deputy's is reported afterwards.
    public static func checkDeputy(_ subject: SanctionSubject, kind: MeasureKind, permission: String?) throws(DomainError) {
        guard kind == .detention || kind == .summons, let level = subject.deputyLevel, level.needsPermission else { return }
        guard let permission = permission?.trimmed, !permission.isEmpty else {
            throw DomainError(
                code: "deputy_permission_required",
                message:
                    "\(subject.name)是\(level.chinese)人大代表：\(kind.chinese)须先经\(level.permittingBody)许可（代表法第三十九条），请填写许可文书（deputyPermission）",
                field: "deputyPermission")
        }
    }

    /// 民诉法解释 art. 185: the person may apply for 复议 within 3 days of receiving the decision; the
    /// higher court decides within 5 days of receiving the application (periods under 民诉法 art. 85).
    public static func reconsiderationApplyBy(servedOn: CalendarDate, calendar: WorkingDayCalendar) throws(DomainError) -> CalendarDate {
        try calendar.adding(calendarDays: 3, to: servedOn)
    }

    public static func reconsiderationDecideBy(appliedOn: CalendarDate, calendar: WorkingDayCalendar) throws(DomainError) -> CalendarDate {
        try calendar.adding(calendarDays: 5, to: appliedOn)
    }
}

/// How a 复议 on a fine or detention ended (民事诉讼法 art. 119 ¶2: the higher court decides; it
/// does not suspend execution).
public enum ReconsiderationOutcome: String, CaseIterable, Codable, Sendable {
    case upheld, varied, revoked

    public var chinese: String {
        switch self {
        case .upheld: "维持"
        case .varied: "变更"
        case .revoked: "撤销"
        }
    }

    public static func parse(_ text: String, field: String = "outcome") throws(DomainError) -> ReconsiderationOutcome {
        let value = text.trimmed
        if let outcome = ReconsiderationOutcome(rawValue: value) ?? allCases.first(where: { $0.chinese == value }) { return outcome }
        throw DomainError(code: "unknown_outcome", message: "复议结果「\(text)」无法识别；可用：upheld（维持）、varied（变更）、revoked（撤销）", field: field)
    }
}

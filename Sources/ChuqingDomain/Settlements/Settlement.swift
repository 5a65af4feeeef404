import Foundation

/// One instalment of a 执行和解 schedule: the day it is due and its amount.
public struct Instalment: Sendable, Equatable, Codable {
    public let dueOn: CalendarDate
    public let amount: Money

    public init(dueOn: CalendarDate, amount: Money) {
        self.dueOn = dueOn
        self.amount = amount
    }
}

/// How the settlement reached the court, which is what lets it rule 中止 (执行和解规定 art. 2):
/// both parties filed the agreement, one filed it and the other confirmed it, or an oral
/// agreement was recorded in a 笔录 signed by the parties.
public enum SettlementFiling: String, CaseIterable, Codable, Sendable {
    case bothFiled
    case filedAndConfirmed
    case oralRecord

    public var chinese: String {
        switch self {
        case .bothFiled: "双方共同提交和解协议"
        case .filedAndConfirmed: "一方提交、对方认可"
        case .oralRecord: "口头和解，记入笔录并由双方签名"
        }
    }

    public static func parse(_ text: String, field: String = "filing") throws(DomainError) -> SettlementFiling {
        let value = text.trimmed
        if let filing = SettlementFiling(rawValue: value) ?? allCases.first(where: { $0.chinese == value }) { return filing }
        throw DomainError(
            code: "unknown_filing",
            message: "和解方式「\(text)」无法识别；可用：\(allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
            field: field)
    }
}

/// Where a settlement stands on a day.
public enum SettlementStage: String, CaseIterable, Codable, Sendable {
    /// 履行中: no instalment is unpaid past its day.
    case running
    /// 违约: an instalment is unpaid past its day; on the team's list until the applicant applies
    /// to resume or the debtor catches up.
    case breached
    /// 履行完毕: the schedule was paid; the case closed as 执行完毕.
    case performed
    /// 已恢复执行: the court resumed the original judgment's enforcement on the applicant's application.
    case resumed

    public var chinese: String {
        switch self {
        case .running: "履行中"
        case .breached: "违约"
        case .performed: "履行完毕"
        case .resumed: "已恢复执行"
        }
    }

    public static func parse(_ text: String, field: String = "stage") throws(DomainError) -> SettlementStage {
        let value = text.trimmed
        if let stage = SettlementStage(rawValue: value) { return stage }
        throw DomainError(
            code: "unknown_stage", message: "阶段「\(text)」无法识别；可用：\(allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
            field: field)
    }
}

/// How each instalment and the whole schedule stand on a day, given what was paid since the
/// agreement. Payments meet the instalments in their order (the earliest first), so a late
/// payment that catches up clears the instalment it was late on.
public struct ScheduleStanding: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public let instalment: Instalment
        public let paid: Money
        /// Unpaid past its day (the day after a due day that fell on a 节假日 is still in time).
        public let overdue: Bool

        public var unpaid: Money { instalment.amount - paid }
        public var isPaid: Bool { paid >= instalment.amount }
    }

    public let lines: [Line]
    public let total: Money
    public let paid: Money
    /// What the breach concerns: with an acceleration clause everything left unpaid, without one
    /// only the instalments past their day (rules-next §2 rule 12).
    public let inBreach: Money

    public var isPerformed: Bool { paid >= total }
    public var isBreached: Bool { lines.contains(where: \.overdue) }
    public var remaining: Money { max(.zero, total - paid) }
    /// The first instalment not yet paid in full.
    public var next: Line? { lines.first { !$0.isPaid } }
    /// The earliest instalment unpaid past its day.
    public var firstOverdue: Line? { lines.first(where: \.overdue) }
}

/// The rules of 执行和解 (法释〔2018〕3号 as amended in 2020, "执行和解规定"; 民诉法 arts. 241 and
/// 250; rules-next §2).
public enum SettlementRules {
    /// Instalments a schedule may have: a settlement over years in monthly instalments fits.
    public static let maximumInstalments = 240
    /// The largest instalment accepted: ¥10,000,000,000.00.
    public static let maximumInstalmentFen: Int64 = 1_000_000_000_000

    /// Checks a schedule and returns it in the order of its days: at least one instalment, each
    /// more than nothing, none before the agreement, no day twice.
    public static func schedule(_ instalments: [Instalment], agreedOn: CalendarDate) throws(DomainError) -> [Instalment] {
        guard !instalments.isEmpty else {
            throw DomainError(
                code: "instalments_required", message: "和解协议须有履行计划：至少一期（instalments：[{dueOn, amountFen}]）", field: "instalments")
        }
        guard instalments.count <= maximumInstalments else {
            throw DomainError(
                code: "too_many_instalments", message: "履行计划最多 \(maximumInstalments) 期，收到 \(instalments.count) 期", field: "instalments")
        }
        for (index, instalment) in instalments.enumerated() {
            guard instalment.amount.fen > 0 else {
                throw DomainError(
                    code: "invalid_amount", message: "第 \(index + 1) 期金额须大于 0（单位：分；页面以元计）", field: "instalments[\(index)].amountFen")
            }
            // A bound far above any judgment, so that 240 instalments add up without overflowing.
            guard instalment.amount.fen <= maximumInstalmentFen else {
                throw DomainError(
                    code: "amount_too_large", message: "第 \(index + 1) 期金额超过 \(Money(fen: maximumInstalmentFen).formatted)，请核对",
                    field: "instalments[\(index)].amountFen")
            }
            guard instalment.dueOn >= agreedOn else {
                throw DomainError(
                    code: "due_before_agreement", message: "第 \(index + 1) 期履行日 \(instalment.dueOn) 早于和解日期 \(agreedOn)",
                    field: "instalments[\(index)].dueOn")
            }
        }
        let sorted = instalments.sorted { $0.dueOn < $1.dueOn }
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where earlier.dueOn == later.dueOn {
            throw DomainError(
                code: "duplicate_due_date", message: "履行计划中 \(later.dueOn) 出现两次；同一天的款项请合为一期", field: "instalments")
        }
        return sorted
    }

    /// A schedule adding up to more than is left to pay is a typing error more often than not;
    /// it may be intended (迟延履行利息 under 民诉法 art. 264, 执行费, a penalty the parties agreed),
    /// and then says so. Less than is left to pay is what a settlement usually is: the applicant
    /// gives up part (执行和解规定 art. 1).
    public static func checkTotal(_ total: Money, unperformed: Money, excessReason: String?) throws(DomainError) {
        guard total > unperformed, excessReason?.trimmed.nilIfEmpty == nil else { return }
        throw DomainError(
            code: "schedule_exceeds_unperformed",
            message:
                "履行计划合计 \(total.formatted)，超过未履行金额 \(unperformed.formatted)（超出 \((total - unperformed).formatted)）。"
                + "请核对各期金额；如超出部分是迟延履行利息、执行费或约定的违约金，请在「超出部分说明」（excessReason）中写明",
            field: "excessReason")
    }

    /// The day by which an instalment due on `dueOn` is paid in time: a due day that falls on a
    /// 节假日 (weekends included) moves to the next working day (民法典 art. 203). For a year the
    /// working-day calendar does not cover, only weekends are known to be rest days.
    public static func payableBy(_ dueOn: CalendarDate, calendar: WorkingDayCalendar) -> CalendarDate {
        var day = dueOn
        for _ in 0..<30 {
            let working = (try? calendar.isWorkingDay(day)) ?? !day.isWeekend
            if working { return day }
            day = day.adding(days: 1)
        }
        return day
    }

    /// The schedule on `today`, with `paid` paid since the agreement.
    public static func standing(
        _ schedule: [Instalment], paid: Money, acceleration: Bool, today: CalendarDate, calendar: WorkingDayCalendar
    ) -> ScheduleStanding {
        var before = Money.zero
        var lines: [ScheduleStanding.Line] = []
        for instalment in schedule {
            let share = min(instalment.amount, max(.zero, paid - before))
            before = before + instalment.amount
            let late = share < instalment.amount && today > payableBy(instalment.dueOn, calendar: calendar)
            lines.append(.init(instalment: instalment, paid: share, overdue: late))
        }
        let total = schedule.reduce(Money.zero) { $0 + $1.amount }
        let overdueUnpaid = lines.filter(\.overdue).reduce(Money.zero) { $0 + $1.unpaid }
        let breached = lines.contains(where: \.overdue)
        return ScheduleStanding(
            lines: lines, total: total, paid: paid,
            inBreach: breached ? (acceleration ? max(.zero, total - paid) : overdueUnpaid) : .zero)
    }

    /// The last day on which the applicant may apply to resume after a breach: 2 years from the
    /// last day of the agreed performance period (执行和解规定 art. 10; 民诉法 art. 250). Counted as
    /// art. 85 counts: the period starts the day after, ends on the same day two years on (29
    /// February to 28 February, 民法典 art. 202), and a last day on a 节假日 moves to the next
    /// working day. Nil when the calendar does not cover the year of the last day (then only an
    /// application on or before the nominal day is known to be in time).
    public static func resumptionLastDay(lastAgreedDay: CalendarDate, calendar: WorkingDayCalendar) -> (
        nominal: CalendarDate, extended: CalendarDate?
    ) {
        let nominal = lastAgreedDay.adding(months: 24)
        var day = nominal
        for _ in 0..<30 {
            guard let working = try? calendar.isWorkingDay(day) else { return (nominal, nil) }
            if working { return (nominal, day) }
            day = day.adding(days: 1)
        }
        return (nominal, day)
    }

    /// Checks an application to resume on the ground of breach (执行和解规定 arts. 9–11).
    public static func checkResumption(
        stage: SettlementStage, standing: ScheduleStanding, lastAgreedDay: CalendarDate, appliedOn: CalendarDate,
        agreedOn: CalendarDate, calendar: WorkingDayCalendar
    ) throws(DomainError) {
        switch stage {
        case .performed:
            // art. 11(1): the agreement was performed.
            throw DomainError(
                code: "settlement_performed", message: "和解协议已履行完毕，案件已执行完毕，不予恢复执行（执行和解规定第十一条第一项）", field: "ground",
                kind: .conflict)
        case .resumed:
            throw DomainError(code: "already_resumed", message: "该和解案件已恢复执行", field: "ground", kind: .conflict)
        case .running, .breached: break
        }
        guard appliedOn >= agreedOn else {
            throw DomainError(code: "date_before_agreement", message: "申请日期 \(appliedOn) 早于和解日期 \(agreedOn)", field: "appliedOn")
        }
        let limit = resumptionLastDay(lastAgreedDay: lastAgreedDay, calendar: calendar)
        if appliedOn > limit.nominal {
            // An extension over rest days is never longer than the longest holiday (8 days).
            guard appliedOn <= limit.nominal.adding(days: 14) else { throw timeBarred(limit.nominal, lastAgreedDay) }
            guard let extended = limit.extended else {
                throw DomainError(
                    code: "calendar_not_covered",
                    message: "申请期间于 \(limit.nominal) 届满，工作日历没有该年的节假日安排，无法判断是否顺延；请管理员补充工作日历",
                    field: "appliedOn")
            }
            guard appliedOn <= extended else { throw timeBarred(extended, lastAgreedDay) }
        }
        guard standing.isBreached else {
            // art. 11(2) and (3): not yet due, or the debtor is performing.
            let next = standing.next.map { "下一期 \($0.instalment.dueOn) 应付 \($0.unpaid.formatted)" } ?? ""
            throw DomainError(
                code: "no_breach", message: "和解协议没有逾期未履行的款项（\(next)），被执行人正在履行，不予恢复执行（执行和解规定第十一条）", field: "ground",
                kind: .conflict)
        }
    }

    static func timeBarred(_ lastDay: CalendarDate, _ lastAgreedDay: CalendarDate) -> DomainError {
        DomainError(
            code: "resumption_time_barred",
            message: "申请恢复执行的期间为和解协议约定履行期限的最后一日（\(lastAgreedDay)）起二年，已于 \(lastDay) 届满（执行和解规定第十条、民事诉讼法第二百五十条）",
            field: "appliedOn")
    }
}

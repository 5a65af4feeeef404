import Foundation

/// A date by which someone must act (issue 17): each comes from a rule elsewhere in the domain,
/// and this names it for a person's list of deadlines and their reminders.
public struct Deadline: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// a lead to verify: 7 days, 3 if urgent (local practice, `Lead.verifyBy`)
        case leadVerification
        /// a list entry to delete: 3 working days after its trigger (法释〔2017〕7号 art. 10)
        case deletion
        /// a revocation, correction, request or 复议 to decide (arts. 11–12; 民诉法 art. 85)
        case procedure
        /// the six-monthly look-up after 终本 (法〔2016〕373号 art. 9)
        case periodicLookup
        /// the last day the calendar covers
        case calendarEnd
        /// an employer's deadline to see a public official perform; past it, the 移送函 are due
        /// (local practice, `PushSettings`)
        case officialPush
        /// a 复议 on a fine or detention for the higher court to decide within 5 days (民诉法解释
        /// art. 185)
        case reconsideration
        /// a settlement's next instalment; unpaid past its day, the settlement is in breach and
        /// the applicant may apply to resume (执行和解规定 arts. 9–10)
        case settlementInstalment

        public var chinese: String {
            switch self {
            case .leadVerification: "线索核实"
            case .deletion: "失信名单删除"
            case .procedure: "失信名单撤销、更正或复议"
            case .periodicLookup: "终本定期查询"
            case .calendarEnd: "工作日日历到期"
            case .officialPush: "涉公职人员通报履行期限"
            case .reconsideration: "罚款、拘留复议决定期限"
            case .settlementInstalment: "执行和解分期履行"
            }
        }
    }

    /// What the deadline is about, for its link.
    public enum Target: Sendable, Equatable {
        case lead(UUID)
        case blacklistEntry(UUID)
        case procedure(entry: UUID)
        case caseFile(UUID)
        case calendar
        /// the look-ups waiting for the director's approval
        case lookupApprovals
        /// a push to an employer
        case officialPush(UUID)
        /// a case's measures
        case caseMeasures(UUID)
        /// a settlement
        case settlement(UUID)
    }

    public let kind: Kind
    /// the case number and the debtor, as a person recognises the matter
    public let subject: String
    public let dueOn: CalendarDate
    public let target: Target

    public init(kind: Kind, subject: String, dueOn: CalendarDate, target: Target) {
        self.kind = kind
        self.subject = subject
        self.dueOn = dueOn
        self.target = target
    }

    /// Past its day: the act was due by the end of `dueOn`.
    public func isOverdue(today: CalendarDate) -> Bool { dueOn < today }

    /// Where a deadline stands on `today`, as a home page groups them.
    public enum Urgency: String, Sendable, CaseIterable {
        case overdue, today, soon, later
    }

    /// 已逾期 before today, 今日到期 today, 即将到期 within the next 7 days, later after that.
    public func urgency(today: CalendarDate) -> Urgency {
        if dueOn < today { return .overdue }
        if dueOn == today { return .today }
        return dueOn <= today.adding(days: 7) ? .soon : .later
    }
}

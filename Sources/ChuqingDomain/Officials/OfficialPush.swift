import Foundation

/// The 涉公职人员案件组's way of working (rules-next §1 rule 7): the court sends the employer a
/// 失信情况通报函 with a deadline to perform, and a case still unperformed after it goes to the bodies
/// the court names (纪委监委, 组织部). No statute sets the deadline or the escalation: 法释〔2017〕7号
/// art. 8 only obliges the notice. Both are local practice, so each is a court setting.
public struct PushSettings: Sendable, Equatable {
    /// `CHUQING_PUSH_DAYS`: days the employer's 通报函 gives to perform (30 by default; 民诉法
    /// art. 85 counts them).
    public var days: Int
    /// `CHUQING_ESCALATION`: whether the letters are produced by the scheduler or by a click.
    public var escalation: EscalationMode
    /// `CHUQING_ESCALATION_BODIES`: the bodies a 移送函 goes to.
    public var bodies: [String]

    public init(days: Int = 30, escalation: EscalationMode = .manual, bodies: [String] = ["县纪委监委", "县委组织部"]) {
        self.days = days
        self.escalation = escalation
        self.bodies = bodies
    }
}

/// Who produces the escalation letters once a push is overdue.
public enum EscalationMode: String, CaseIterable, Sendable {
    /// The case goes on the team's list as due; a member produces the letters with a click.
    case manual
    /// The scheduler produces them on the first day after the deadline.
    case automatic
}

/// Where a push stands.
public enum PushStage: String, CaseIterable, Codable, Sendable {
    /// Sent; the deadline has not passed.
    case pushed
    /// The deadline passed with the case unperformed: the 移送函 are to be produced.
    case dueForEscalation
    /// The 移送函 were produced.
    case escalated
    /// The case was performed in full (before or after the letters).
    case performed

    public var chinese: String {
        switch self {
        case .pushed: "已推送，履行期内"
        case .dueForEscalation: "逾期未履行，待移送"
        case .escalated: "已移送纪委监委、组织部"
        case .performed: "已履行"
        }
    }

    public static func parse(_ text: String, field: String = "stage") throws(DomainError) -> PushStage {
        let value = text.trimmed
        if let stage = PushStage(rawValue: value) { return stage }
        throw DomainError(
            code: "unknown_stage", message: "阶段「\(text)」无法识别；可用：\(allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
            field: field)
    }
}

/// The rules of a push to an employer.
public enum OfficialPushRules {
    /// Only a debtor with a standing (`OfficialProfile`) is pushed to an employer.
    public static func checkPushable(_ profile: OfficialProfile, debtorName: String) throws(DomainError) {
        guard profile.isOfficial else {
            throw DomainError(
                code: "not_a_public_official",
                message:
                    "\(debtorName)没有登记公职身份，不能向工作单位发出通报函；请先在被执行人页面登记其身份（\(OfficialStanding.allCases.map(\.chinese).joined(separator: "、"))）及工作单位",
                field: "debtorId")
        }
    }

    /// The last day to perform: `days` calendar days after the letter was sent (民诉法 art. 85:
    /// the start day is not counted, a last day on a holiday moves to the next working day).
    public static func dueOn(sentOn: CalendarDate, days: Int, calendar: WorkingDayCalendar) throws(DomainError) -> CalendarDate {
        try calendar.adding(calendarDays: days, to: sentOn)
    }

    /// The stage on `today` of a push due on `dueOn`.
    public static func stage(dueOn: CalendarDate, performed: Bool, escalated: Bool, today: CalendarDate) -> PushStage {
        if performed { return .performed }
        if escalated { return .escalated }
        return dueOn < today ? .dueForEscalation : .pushed
    }

    /// The recipient as given: not empty, at most 100 characters.
    public static func recipient(_ text: String) throws(DomainError) -> String {
        let value = text.trimmed
        guard !value.isEmpty else {
            throw DomainError(code: "recipient_required", message: "请填写通报函的收件单位（工作单位、乡镇党委或县直单位）", field: "recipient")
        }
        guard value.count <= 100 else {
            throw DomainError(code: "recipient_too_long", message: "收件单位不超过 100 字（收到 \(value.count) 字）", field: "recipient")
        }
        return value
    }
}

/// A letter of the public-officials team, as its canonical XML carries it
/// (`Templates/documents/official-letter.xsd`): the 失信情况通报函 to the employer, or a 移送函 to a
/// body that acts on party members and officials. Internal: it carries the full ID number.
public struct OfficialLetter: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// 失信情况通报函 (the push)
        case push
        /// 移送函 (the escalation)
        case escalation
    }

    public var kind: Kind
    public var number: String
    public var courtName: String
    public var courtCode: String
    public var recipient: String
    public var date: CalendarDate
    public var debtorName: String
    public var debtorKind: DebtorKind
    public var idNumber: String
    public var standings: String
    public var employer: String
    public var caseNumber: String
    public var applicants: [String]
    public var basisNumber: String
    public var basisIssuedBy: String
    public var duty: String?
    public var unperformedFen: Int64
    /// The push's deadline to perform.
    public var dueOn: CalendarDate
    /// For a push: the bodies the case goes to if the deadline passes; for an escalation, empty.
    public var bodies: [String]
    /// For an escalation: the push it follows.
    public var pushNumber: String?
    public var pushSentOn: CalendarDate?
    public var pushRecipient: String?
    public var judgeName: String?

    public init(
        kind: Kind, number: String, courtName: String, courtCode: String, recipient: String, date: CalendarDate, debtorName: String,
        debtorKind: DebtorKind, idNumber: String, standings: String, employer: String, caseNumber: String, applicants: [String],
        basisNumber: String, basisIssuedBy: String, duty: String?, unperformedFen: Int64, dueOn: CalendarDate, bodies: [String],
        pushNumber: String? = nil, pushSentOn: CalendarDate? = nil, pushRecipient: String? = nil, judgeName: String?
    ) {
        self.kind = kind
        self.number = number
        self.courtName = courtName
        self.courtCode = courtCode
        self.recipient = recipient
        self.date = date
        self.debtorName = debtorName
        self.debtorKind = debtorKind
        self.idNumber = idNumber
        self.standings = standings
        self.employer = employer
        self.caseNumber = caseNumber
        self.applicants = applicants
        self.basisNumber = basisNumber
        self.basisIssuedBy = basisIssuedBy
        self.duty = duty
        self.unperformedFen = unperformedFen
        self.dueOn = dueOn
        self.bodies = bodies
        self.pushNumber = pushNumber
        self.pushSentOn = pushSentOn
        self.pushRecipient = pushRecipient
        self.judgeName = judgeName
    }
}

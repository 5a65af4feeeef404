/// The procedures that can follow a listing besides deletion (rules.md §1):
/// - revocation (撤销) of a wrongly made entry, within 3 working days (法释〔2017〕7号 art. 9);
/// - correction (更正) of inaccurate data, within 3 working days (art. 9);
/// - a correction request (纠正申请, the "objection" of arts. 11–12), reviewed within 15 days —
///   calendar days, not working days (rules.md §7.8, "two clocks");
/// - 复议 of a rejected request at the court one level up: applied for within 10 days of the
///   rejection's service and decided within 15 days of the application (art. 12). The 复议 does not
///   suspend the decision it reviews.
public enum BlacklistProcedureKind: String, CaseIterable, Codable, Sendable {
    case revocation, correction, objection, reconsideration

    public var chinese: String {
        switch self {
        case .revocation: "撤销"
        case .correction: "更正"
        case .objection: "纠正申请"
        case .reconsideration: "复议"
        }
    }

    public static func parse(_ text: String) throws(DomainError) -> BlacklistProcedureKind {
        guard let kind = BlacklistProcedureKind(rawValue: text) else {
            throw DomainError(
                code: "unknown_procedure",
                message: "kind「\(text)」无法识别；可用：revocation（撤销）、correction（更正）、objection（纠正申请）、reconsideration（复议）",
                field: "kind")
        }
        return kind
    }

    /// The day the procedure must be finished, counted from the day it arose: 3 working days for
    /// revocation and correction (art. 9), 15 calendar days for reviewing a request or deciding a
    /// 复议 from the day it was received (art. 12).
    public func dueOn(aroseOn date: CalendarDate, calendar: WorkingDayCalendar) throws(DomainError) -> CalendarDate {
        switch self {
        case .revocation, .correction: try calendar.adding(workingDays: 3, to: date)
        case .objection, .reconsideration: try calendar.adding(calendarDays: 15, to: date)
        }
    }
}

/// 复议 of a rejected correction request (法释〔2017〕7号 art. 12): who may apply against what, and
/// by when.
public enum Reconsideration {
    /// The last day to apply: 10 days (日) from the day the rejection was served, counted as
    /// 民事诉讼法 art. 85 counts a period (the service day is not counted; a last day on a holiday
    /// moves to the next working day).
    public static func lastDayToApply(servedOn: CalendarDate, calendar: WorkingDayCalendar) throws(DomainError) -> CalendarDate {
        try calendar.adding(calendarDays: 10, to: servedOn)
    }

    /// Checks an application against the request it reviews: only a rejected correction request
    /// can be taken to 复议 (an upheld one has its remedy already), served no earlier than it was
    /// decided, and applied for within the 10 days.
    public static func check(
        reviewing kind: BlacklistProcedureKind, outcome: ProcedureOutcome?, decidedOn: CalendarDate?, servedOn: CalendarDate,
        appliedOn: CalendarDate, calendar: WorkingDayCalendar
    ) throws(DomainError) {
        guard kind == .objection else {
            throw DomainError(
                code: "not_a_correction_request",
                message: "只有纠正申请的驳回决定可以申请复议（法释〔2017〕7号第十二条）；这是一项\(kind.chinese)", kind: .conflict)
        }
        guard let decidedOn, outcome == .rejected else {
            throw DomainError(
                code: "request_not_rejected",
                message: outcome == .upheld ? "该纠正申请已成立，无需复议" : "该纠正申请尚未作出决定；驳回决定送达后才能申请复议",
                kind: .conflict)
        }
        guard servedOn >= decidedOn else {
            throw DomainError(
                code: "date_too_early", message: "送达日期 \(servedOn) 早于驳回决定日期 \(decidedOn)", field: "servedOn")
        }
        guard appliedOn >= servedOn else {
            throw DomainError(code: "date_too_early", message: "申请日期 \(appliedOn) 早于送达日期 \(servedOn)", field: "on")
        }
        let lastDay = try lastDayToApply(servedOn: servedOn, calendar: calendar)
        guard appliedOn <= lastDay else {
            throw DomainError(
                code: "reconsideration_late",
                message: "复议应自驳回决定送达之日（\(servedOn)）起十日内申请，即不迟于 \(lastDay)；\(appliedOn) 已超过期限",
                field: "on")
        }
    }
}

/// The grounds of a correction request (art. 11), each leading to its own remedy when upheld.
public enum ObjectionGround: String, CaseIterable, Codable, Sendable {
    /// Should not have been listed → revocation.
    case notListable
    /// The published data is wrong → correction.
    case wrongData
    /// Should have been deleted → deletion.
    case shouldBeDeleted

    public var chinese: String {
        switch self {
        case .notListable: "不应纳入失信名单"
        case .wrongData: "记载和公布的失信信息不准确"
        case .shouldBeDeleted: "失信信息应予删除"
        }
    }

    /// The procedure an upheld request starts (within 3 working days of the decision, art. 12);
    /// nil for `shouldBeDeleted`, which records a deletion trigger instead.
    public var remedy: BlacklistProcedureKind? {
        switch self {
        case .notListable: .revocation
        case .wrongData: .correction
        case .shouldBeDeleted: nil
        }
    }

    public static func parse(_ text: String?) throws(DomainError) -> ObjectionGround {
        guard let text, let ground = ObjectionGround(rawValue: text) else {
            throw DomainError(
                code: "unknown_ground",
                message: "纠正申请须写明理由 ground：notListable（不应纳入）、wrongData（信息不准确）或 shouldBeDeleted（应予删除），收到「\(text ?? "")」",
                field: "ground")
        }
        return ground
    }
}

/// The decision on a procedure.
public enum ProcedureOutcome: String, Codable, Sendable {
    case upheld, rejected

    public static func parse(_ text: String) throws(DomainError) -> ProcedureOutcome {
        guard let outcome = ProcedureOutcome(rawValue: text) else {
            throw DomainError(code: "unknown_outcome", message: "outcome 只能是 upheld（成立）或 rejected（驳回），收到「\(text)」", field: "outcome")
        }
        return outcome
    }
}

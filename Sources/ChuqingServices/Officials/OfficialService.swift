import ChuqingDomain
import ChuqingPersistence
import Foundation

/// Builds and validates a letter's canonical XML (the server supplies it, with the XSD).
public typealias OfficialLetterRenderer = @Sendable (OfficialLetter) throws -> String

/// The 涉公职人员案件组's work (issue 18 item 1; rules-next §1): a 失信情况通报函 to the employer of a
/// debtor with a public standing, with a deadline to perform; the employer's acknowledgement and
/// reply; and, once the deadline passes with the case unperformed, the 移送函 to the bodies the
/// court names. The case's judge and the director act; everyone who reads cases reads.
public struct OfficialService: Sendable {
    var database: Database
    let cases: CaseService
    let settings: PushSettings
    let render: OfficialLetterRenderer
    let now: @Sendable () -> Date

    public init(
        database: Database, cases: CaseService, settings: PushSettings, render: @escaping OfficialLetterRenderer,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.cases = cases
        self.settings = settings
        self.render = render
        self.now = now
    }

    /// The same service inside a job's transaction.
    public func within(_ database: Database) -> OfficialService {
        var joined = self
        joined.database = database
        return joined
    }

    var repository: OfficialRepository { OfficialRepository(database: database) }

    /// The court's settings, for the pages that explain them.
    public var pushSettings: PushSettings { settings }

    /// The service's clock, for the stage a push is in today.
    public var clock: @Sendable () -> Date { now }

    /// A push as a person asks for it.
    public struct NewPushInput: Sendable {
        public var caseID: UUID
        public var debtorID: UUID
        /// Nil: the debtor's employer.
        public var recipient: String?
        public var sentOn: CalendarDate

        public init(caseID: UUID, debtorID: UUID, recipient: String?, sentOn: CalendarDate) {
            self.caseID = caseID
            self.debtorID = debtorID
            self.recipient = recipient
            self.sentOn = sentOn
        }
    }

    /// Sends the 通报函: only for a debtor of the case with a public standing (422
    /// `not_a_public_official`), on a case not yet performed, once per debtor and case.
    public func push(_ input: NewPushInput, by actor: ActingUser) async throws -> PushRecord {
        let current = try await cases.changeableCase(id: input.caseID, by: actor)
        let instant = now()
        let today = ShanghaiClock.today(instant)
        let debtor = try current.summary.debtor(input.debtorID)
        let profile = try await repository.profile(debtorID: debtor.id.databaseText)
        try OfficialPushRules.checkPushable(profile, debtorName: debtor.name)
        guard current.summary.performance != .full else {
            throw DomainError(code: "case_performed", message: "本案已全部履行，无需再向工作单位通报", field: "caseId", kind: .conflict)
        }
        try input.sentOn.mustHaveHappened(by: today, "发函日期", field: "sentOn")
        guard input.sentOn >= current.summary.filedOn else {
            throw DomainError(
                code: "date_before_filing", message: "发函日期 \(input.sentOn) 早于立案日期 \(current.summary.filedOn)", field: "sentOn")
        }
        let recipient = try OfficialPushRules.recipient(input.recipient ?? profile.employer ?? "")
        let dueOn = try OfficialPushRules.dueOn(sentOn: input.sentOn, days: settings.days, calendar: cases.calendar)
        let number =
            "\(current.summary.caseNumber.canonical)通报函\(try await repository.pushCount(caseID: current.summary.id.databaseText) + 1)"
        let letter = OfficialLetter(
            kind: .push, number: number, courtName: current.summary.court.name, courtCode: current.summary.court.code, recipient: recipient,
            date: input.sentOn, debtorName: debtor.name, debtorKind: debtor.kind, idNumber: debtor.idNumber, standings: profile.chinese,
            employer: profile.employer ?? recipient, caseNumber: current.summary.caseNumber.canonical, applicants: current.applicants,
            basisNumber: current.judgment.documentNumber, basisIssuedBy: current.judgment.issuedBy, duty: current.judgment.duty,
            unperformedFen: current.summary.unperformed.fen, dueOn: dueOn, bodies: settings.bodies, judgeName: current.summary.judgeName)
        let id = try await repository.insert(
            NewPush(
                caseID: current.summary.id.databaseText, debtorID: debtor.id.databaseText, recipient: recipient, sentOn: input.sentOn,
                dueOn: dueOn, letterNumber: number, letterXML: try render(letter)),
            author: actor.author,
            audit: actor.audit(
                "official.push", entity: "case", id: current.summary.id.databaseText,
                detail: "\(current.summary.caseNumber.canonical) \(debtor.name) → \(recipient)，限 \(dueOn) 前履行", at: instant),
            now: instant)
        return try await repository.push(id: id)!
    }

    /// The push `id`, if the caller may see its case.
    public func push(id: UUID, by actor: ActingUser) async throws -> PushRecord {
        guard let push = try await repository.push(id: id.databaseText) else { throw Refusal.notFound }
        _ = try await cases.visibleCase(id: push.caseID, by: actor)
        return push
    }

    /// The team's list: every push the caller may see, optionally of one stage on `today`.
    public func pushes(stage: PushStage? = nil, by actor: ActingUser) async throws -> [PushRecord] {
        try actor.require(.readCases)
        let today = ShanghaiClock.today(now())
        let all = try await repository.pushes(visibleToJudge: actor.judgeScope)
        guard let stage else { return all }
        return all.filter { $0.stage(today: today) == stage }
    }

    /// Debtors with a public standing on open cases the caller may see, not yet pushed (the
    /// team's to-do list; 终本 cases included, as the campaign works them).
    public func candidates(by actor: ActingUser) async throws -> [PushCandidate] {
        try actor.require(.readCases)
        return try await repository.candidates(visibleToJudge: actor.judgeScope, limit: 500)
    }

    /// The pushes of a case the caller may see.
    public func pushes(caseID: UUID, by actor: ActingUser) async throws -> [PushRecord] {
        let current = try await cases.visibleCase(id: caseID, by: actor)
        return try await repository.pushes(caseID: current.summary.id.databaseText)
    }

    /// A letter as stored: the push's 通报函, or one of its 移送函.
    public func letter(pushID: UUID, escalationID: UUID?, by actor: ActingUser) async throws -> String {
        let push = try await push(id: pushID, by: actor)
        guard let xml = try await repository.letterXML(pushID: push.id.databaseText, escalationID: escalationID?.databaseText) else {
            throw Refusal.notFound
        }
        return xml
    }

    /// What the employer sent back.
    public enum Reply: Sendable {
        /// 回执: the letter arrived.
        case acknowledged(on: CalendarDate)
        /// 回复: what the employer did (talked to the debtor, deducted from salary …).
        case replied(on: CalendarDate, text: String)
    }

    /// Records the employer's acknowledgement or reply.
    public func record(_ reply: Reply, pushID: UUID, by actor: ActingUser) async throws -> PushRecord {
        let push = try await push(id: pushID, by: actor)
        _ = try await cases.changeableCase(id: push.caseID, by: actor)
        let instant = now()
        let today = ShanghaiClock.today(instant)
        let on: CalendarDate
        var text: String? = nil
        switch reply {
        case .acknowledged(let date): on = date
        case .replied(let date, let given):
            on = date
            text = given.trimmed
            guard let value = text, !value.isEmpty, value.count <= 2000 else {
                throw DomainError(code: "reply_required", message: "请填写单位回复的内容（1 至 2000 字）", field: "text")
            }
        }
        try on.mustHaveHappened(by: today, "回复日期", field: "on")
        guard on >= push.sentOn else {
            throw DomainError(code: "reply_before_push", message: "回复日期 \(on) 早于发函日期 \(push.sentOn)", field: "on")
        }
        let isAcknowledgement = text == nil
        try await repository.recordReply(
            pushID: push.id.databaseText, acknowledgedOn: isAcknowledgement ? on : nil, repliedOn: isAcknowledgement ? nil : on,
            reply: text,
            audit: actor.audit(
                "official.reply", entity: "case", id: push.caseID.databaseText,
                detail: "\(push.caseNumber) \(push.recipient)\(isAcknowledgement ? "回执" : "回复") \(on)", at: instant))
        return try await repository.push(id: push.id.databaseText)!
    }

    /// Produces the 移送函 to every body the court names, on `on`: only after the deadline (409
    /// `not_yet_due` naming it) and while the case is unperformed (409 `case_performed`).
    public func escalate(pushID: UUID, on: CalendarDate, by actor: ActingUser) async throws -> PushRecord {
        let push = try await push(id: pushID, by: actor)
        let current = try await cases.changeableCase(id: push.caseID, by: actor)
        let instant = now()
        try on.mustHaveHappened(by: ShanghaiClock.today(instant), "移送日期", field: "on")
        try await produceEscalation(push, current: current, on: on, producedBy: actor.user?.id, actor: actor, at: instant)
        return try await repository.push(id: push.id.databaseText)!
    }

    func produceEscalation(
        _ push: PushRecord, current: CaseDetail, on: CalendarDate, producedBy: UUID?, actor: ActingUser, at instant: Date
    )
        async throws
    {
        guard on > push.dueOn else {
            throw DomainError(
                code: "not_yet_due", message: "履行期限至 \(push.dueOn) 止，期满后（\(push.dueOn.adding(days: 1)) 起）仍未履行的才移送", field: "on",
                kind: .conflict)
        }
        guard try await !isPerformed(current) else {
            try await repository.markPerformed(pushID: push.id.databaseText, on: on)
            throw DomainError(code: "case_performed", message: "本案已全部履行，不再移送", kind: .conflict)
        }
        let profile = try await repository.profile(debtorID: push.debtorID.databaseText)
        guard let debtor = current.summary.debtors.first(where: { $0.id == push.debtorID }) else { throw Refusal.notFound }
        var letters: [(body: String, number: String, xml: String)] = []
        for (index, body) in settings.bodies.enumerated() {
            let number = "\(push.letterNumber)移送函\(index + 1)"
            let letter = OfficialLetter(
                kind: .escalation, number: number, courtName: current.summary.court.name, courtCode: current.summary.court.code,
                recipient: body, date: on, debtorName: debtor.name, debtorKind: debtor.kind, idNumber: debtor.idNumber,
                standings: profile.isOfficial ? profile.chinese : "公职人员", employer: profile.employer ?? push.recipient,
                caseNumber: current.summary.caseNumber.canonical, applicants: current.applicants,
                basisNumber: current.judgment.documentNumber,
                basisIssuedBy: current.judgment.issuedBy, duty: current.judgment.duty, unperformedFen: current.summary.unperformed.fen,
                dueOn: push.dueOn, bodies: [], pushNumber: push.letterNumber, pushSentOn: push.sentOn, pushRecipient: push.recipient,
                judgeName: current.summary.judgeName)
            letters.append((body, number, try render(letter)))
        }
        try await repository.escalate(
            pushID: push.id.databaseText, caseID: push.caseID.databaseText, letters: letters, on: on, producedBy: producedBy,
            author: actor.author,
            audit: actor.audit(
                "official.escalate", entity: "case", id: push.caseID.databaseText,
                detail: "\(push.caseNumber) \(debtor.name) 移送\(settings.bodies.joined(separator: "、"))", at: instant),
            now: instant)
    }

    /// Whether the debtor performed the case in full: on the case itself, or on the 执恢 case it
    /// was resumed as (the 终本 case keeps its figures; the payment is recorded on its successor).
    func isPerformed(_ current: CaseDetail) async throws -> Bool {
        // 执行完毕 includes a settlement performed, whose schedule may be less than the judgment.
        if current.summary.performance == .full || current.summary.status == .fullyEnforced { return true }
        guard let successor = current.resumedAs,
            let next = try await CaseRepository(database: database).detail(id: successor.id.databaseText)
        else { return false }
        return try await isPerformed(next)
    }

    /// The scheduler's daily pass over pushes past their deadline: a performed case is recorded
    /// as performed; an unperformed one is marked due for escalation and, when the court chose
    /// `automatic`, escalated at once. Returns the pushes newly due (for the reminders).
    public func reviewOverdue(by actor: ActingUser) async throws -> (due: [PushRecord], escalated: Int, performed: Int) {
        let instant = now()
        let today = ShanghaiClock.today(instant)
        var due: [PushRecord] = []
        var escalated = 0
        var performed = 0
        for push in try await repository.overdue(today: today) {
            guard let current = try await CaseRepository(database: database).detail(id: push.caseID.databaseText) else { continue }
            if try await isPerformed(current) {
                try await repository.markPerformed(pushID: push.id.databaseText, on: today)
                performed += 1
                continue
            }
            if try await repository.markDue(pushID: push.id.databaseText, today: today) { due.append(push) }
            if settings.escalation == .automatic {
                try await produceEscalation(push, current: current, on: today, producedBy: nil, actor: actor, at: instant)
                escalated += 1
            }
        }
        return (due, escalated, performed)
    }
}

import ChuqingDomain
import ChuqingPersistence
import Foundation

/// Leads from township liaisons (线索): the debtors of their township they look for, the leads
/// they send, and the court's triage of each lead within its verify-by date (财产调查规定 art. 2:
/// 7 days, 3 if urgent). A debtor outside a liaison's township, and a lead on another judge's
/// debtor, answer "not found": existence does not leak.
public struct LeadService: Sendable {
    let database: Database
    let calendar: WorkingDayCalendar
    let now: @Sendable () -> Date

    public init(database: Database, calendar: WorkingDayCalendar, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.calendar = calendar
        self.now = now
    }

    var repository: LeadRepository { LeadRepository(database: database) }

    /// The liaison's township (every liaison is bound to one: `users` CHECK constraint).
    public func township(by actor: ActingUser) throws(Refusal) -> String {
        try actor.require(.submitLeads)
        guard let township = actor.user?.townshipCode else { throw Refusal.forbidden }
        return township
    }

    /// The debtors the liaison's township is asked to find.
    public func debtorsToFind(by actor: ActingUser) async throws -> [LiaisonDebtorView] {
        try await repository.debtors(township: try township(by: actor))
    }

    /// The liaison's own leads, the newest first; of one debtor when `debtorID` is given.
    public func myLeads(debtorID: UUID? = nil, by actor: ActingUser) async throws -> [StoredLead] {
        _ = try township(by: actor)
        let user = try actor.requireUser()
        let today = ShanghaiClock.today(now())
        return try await repository.list(liaison: user.id, debtor: debtorID?.databaseText).map { Self.flagged($0, today: today) }
    }

    /// A lead as a liaison sends it.
    public struct LeadInput: Sendable {
        public var debtorID: UUID
        public var kind: Lead.Kind
        public var text: String
        public var place: String?
        public var seenOn: CalendarDate?
        public var urgent: Bool
        /// The photos' bytes, JPEG or PNG (checked by content).
        public var photos: [Data]

        public init(debtorID: UUID, kind: Lead.Kind, text: String, place: String?, seenOn: CalendarDate?, urgent: Bool, photos: [Data]) {
            self.debtorID = debtorID
            self.kind = kind
            self.text = text
            self.place = place
            self.seenOn = seenOn
            self.urgent = urgent
            self.photos = photos
        }
    }

    /// Checks and stores a lead: the debtor must be in the liaison's township, the photos JPEG or
    /// PNG by content (metadata removed), and a retry under the same idempotency key returns the
    /// first lead (`created` false).
    public func submit(_ input: LeadInput, idempotencyKey rawKey: String?, by actor: ActingUser) async throws -> (
        lead: StoredLead, created: Bool
    ) {
        let key = rawKey?.trimmingCharacters(in: .whitespaces)
        if let key, key.isEmpty || key.count > 200 {
            throw DomainError(
                code: "invalid_idempotency_key", message: "Idempotency-Key 须为 1–200 个字符（建议每条线索一个 UUID）", field: "Idempotency-Key")
        }
        let township = try township(by: actor)
        let user = try actor.requireUser()
        let debtorID = input.debtorID.databaseText
        guard let debtorName = try await repository.nameInScope(id: debtorID, township: township) else {
            throw Refusal(.notFound, code: "not_found", message: "找不到该被执行人，或其不在您负责的乡镇需查找的名单中")
        }
        guard input.photos.count <= LeadPhoto.maxPerLead else {
            throw DomainError(
                code: "too_many_photos", message: "每条线索最多 \(LeadPhoto.maxPerLead) 张照片（收到 \(input.photos.count) 张）", field: "photos")
        }
        var checked: [LeadPhoto] = []
        for (index, data) in input.photos.enumerated() {
            do { checked.append(try LeadPhoto(data)) } catch {
                throw DomainError(code: error.code, message: "第 \(index + 1) 张照片：\(error.message)", field: "photos")
            }
        }
        let instant = now()
        let today = ShanghaiClock.today(instant)
        let lead = try Lead(
            kind: input.kind, text: input.text, place: input.place, seenOn: input.seenOn ?? today, isUrgent: input.urgent, today: today)
        // What the lead says, not how the request was spelled: a retry may order its keys differently.
        let canonical =
            [
                debtorID, input.kind.rawValue, input.text.trimmed, input.place?.trimmed ?? "", input.seenOn?.description ?? "",
                String(input.urgent),
            ].joined(separator: "\u{1F}")
            + input.photos.map { Digest.sha256Hex($0) }.joined(separator: ",")
        let (stored, created) = try await repository.submit(
            lead, photos: checked, debtorID: debtorID, liaison: user.id, township: township, idempotencyKey: key,
            requestHash: Digest.sha256Hex(Data(canonical.utf8)), verifyBy: try lead.verifyBy(receivedOn: today, calendar: calendar),
            audit: actor.audit("lead.submit", entity: "debtor", id: debtorID, detail: "\(debtorName) \(lead.kind.chinese)", at: instant),
            now: instant)
        return (Self.flagged(stored, today: today), created)
    }

    /// The lead `id` if this caller may read it: a liaison their own, a judge those on debtors of
    /// their cases, the director and clerks all.
    public func lead(id: UUID, by actor: ActingUser) async throws -> StoredLead {
        try actor.require(.readLeads)
        guard let lead = try await repository.lead(id: id.databaseText) else { throw Refusal.notFound }
        switch actor.user?.role {
        case .liaison?: guard lead.liaisonID == actor.user?.id else { throw Refusal.notFound }
        case .judge?:
            guard try await repository.isResponsible(judge: actor.user!.id, leadID: lead.id.databaseText) else { throw Refusal.notFound }
        default: break
        }
        return Self.flagged(lead, today: ShanghaiClock.today(now()))
    }

    /// Photo `position` of a lead this caller may read.
    public func photo(leadID: UUID, position: Int?, by actor: ActingUser) async throws -> (contentType: String, bytes: Data) {
        let lead = try await lead(id: leadID, by: actor)
        guard let position, let photo = try await repository.photo(leadID: lead.id.databaseText, position: position) else {
            throw Refusal.notFound
        }
        return photo
    }

    /// The leads this caller may read: a liaison their own, a judge those on their debtors.
    public func leads(by actor: ActingUser) async throws -> [StoredLead] {
        try actor.require(.readLeads)
        let liaison = actor.user.flatMap { $0.role == .liaison ? $0.id : nil }
        let today = ShanghaiClock.today(now())
        return try await repository.list(liaison: liaison, judge: actor.judgeScope).map { Self.flagged($0, today: today) }
    }

    /// Moves a lead on in triage: the director any lead, a judge those on debtors of their own
    /// cases; `verified` names what it led to.
    public func changeStatus(
        leadID: UUID, to status: LeadStatus, reply: String?, outcomeKind: String?, outcomeID: String?, by actor: ActingUser
    ) async throws -> StoredLead {
        try actor.require(.decideLeads)
        let user = try actor.requireUser()
        guard let lead = try await repository.lead(id: leadID.databaseText) else { throw Refusal.notFound }
        if let judge = actor.judgeScope, !(try await repository.isResponsible(judge: judge, leadID: lead.id.databaseText)) {
            throw Refusal.notFound
        }
        let outcome = try LeadOutcome.parse(kind: outcomeKind, id: outcomeID, status: status)
        let instant = now()
        let updated = try await repository.setStatus(
            id: lead.id.databaseText, to: status, reply: reply, outcome: outcome, decidedBy: user.id,
            audit: actor.audit("lead.status", entity: "lead", id: lead.id.databaseText, detail: status.chinese, at: instant), now: instant)
        return Self.flagged(updated, today: ShanghaiClock.today(instant))
    }

    /// The lead with its overdue flag for `today` (财产调查规定 art. 2: 7 days, 3 if urgent).
    public static func flagged(_ lead: StoredLead, today: CalendarDate) -> StoredLead {
        var lead = lead
        lead.overdue = lead.status.isOverdue(verifyBy: lead.verifyBy, today: today)
        return lead
    }
}

/// Tips (举报): from the public on the notice pages, or entered by court staff from a phone
/// call; verified like leads, within 7 days. Only the case's judge and the director see who
/// gave a tip (悬赏 rules protect the tipster).
public struct TipService: Sendable {
    let database: Database
    let calendar: WorkingDayCalendar
    let throttle: TipThrottle
    let now: @Sendable () -> Date

    public init(database: Database, calendar: WorkingDayCalendar, throttle: TipThrottle, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.calendar = calendar
        self.throttle = throttle
        self.now = now
    }

    var repository: TipRepository { TipRepository(database: database) }

    /// A tip as it is given.
    public struct TipInput: Sendable {
        public var text: String
        public var place: String?
        public var name: String?
        public var phone: String?
        /// The notice issue and entry the tip is about (both or neither).
        public var issueID: String?
        public var entryID: String?
        /// The honeypot: people leave it empty (the form hides it); robots fill it in.
        public var website: String?

        public init(
            text: String, place: String?, name: String?, phone: String?, issueID: String?, entryID: String?, website: String?
        ) {
            self.text = text
            self.place = place
            self.name = name
            self.phone = phone
            self.issueID = issueID
            self.entryID = entryID
            self.website = website
        }
    }

    /// Checks and stores a tip. A stranger's valid tip counts against the address's limit (a
    /// typo refused with its rule does not); a filled honeypot is answered as if stored and
    /// dropped. Staff who may enter tips record a phone tip.
    public func receive(_ input: TipInput, by actor: ActingUser) async throws -> (id: UUID, receivedAt: Date) {
        let instant = now()
        let staff = actor.user.flatMap { $0.may(.enterTips) ? $0 : nil }
        let tip = try Tip(text: input.text, place: input.place, tipsterName: input.name, tipsterPhone: input.phone)
        if staff == nil {
            if let wait = await throttle.admit(address: actor.address, now: instant) {
                throw Refusal(
                    .tooManyRequests(retryAfterSeconds: wait), code: "too_many_tips",
                    message: "提交过于频繁，请 \(wait) 秒后再试；紧急情况请直接拨打法院举报电话")
            }
            if let trap = input.website, !trap.isEmpty { return (UUID(), instant) }
        }
        var subject: TipRepository.Subject?
        if let issue = input.issueID, let entry = input.entryID {
            subject = TipRepository.Subject(issueID: issue, entryID: entry)
        } else if input.issueID != nil || input.entryID != nil {
            throw DomainError(code: "unknown_subject", message: "举报对象须同时给出 issueId 和 entryId（来自公告页面的链接），或都不给", field: "entryId")
        }
        let id = try await repository.create(
            tip, subject: subject, source: staff == nil ? .publicForm : .phone, enteredBy: staff?.id, address: actor.address,
            verifyBy: try calendar.adding(calendarDays: 7, to: ShanghaiClock.today(instant)), now: instant)
        return (id, instant)
    }

    /// Who a tip from a notice's link is about, as the public form shows it: the name and case
    /// number the published notice already shows; nil when the entry is not in a published issue
    /// or was withdrawn. Anyone may ask (the form is public).
    public func subject(issueID: String, entryID: String) async throws -> (debtorName: String, caseNumber: String)? {
        try await repository.subjectLabel(.init(issueID: issueID, entryID: entryID)).map { ($0.debtorName, $0.caseNumber) }
    }

    /// The tips this caller may read (a judge: on their cases), with the tipster only for those
    /// who may see it.
    public func tips(by actor: ActingUser) async throws -> [StoredTip] {
        try actor.require(.readTips)
        return try await repository.list(visibleToJudge: actor.judgeScope, showTipster: actor.user?.may(.readTipsters) ?? true)
    }

    /// Moves a tip on in triage; a judge only the tips they see.
    public func changeStatus(
        tipID: UUID, to status: LeadStatus, reply: String?, outcomeKind: String?, outcomeID: String?, by actor: ActingUser
    ) async throws -> StoredTip {
        try actor.require(.triage)
        let user = try actor.requireUser()
        guard let tip = try await repository.tip(id: tipID.databaseText, visibleToJudge: actor.judgeScope, showTipster: true) else {
            throw Refusal.notFound
        }
        let outcome = try LeadOutcome.parse(kind: outcomeKind, id: outcomeID, status: status)
        let instant = now()
        return try await repository.setStatus(
            id: tip.id.databaseText, to: status, reply: reply, outcome: outcome, decidedBy: user.id,
            audit: actor.audit("tip.status", entity: "tip", id: tip.id.databaseText, detail: status.chinese, at: instant), now: instant)
    }
}

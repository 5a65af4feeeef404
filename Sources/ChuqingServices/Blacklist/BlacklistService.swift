import ChuqingDomain
import ChuqingPersistence
import Foundation

/// The dishonest-debtor list (失信被执行人名单, 法释〔2017〕7号): listing decisions, their deletion
/// triggers and deletion (art. 10), revocation, correction and correction requests (arts. 11–12),
/// and the notifications every listing and removal produces (art. 8).
///
/// A judge acts on the entries of the cases assigned to them; an entry of another judge's case is
/// "not found". Each change is written with its audit entry and its notifications in one
/// transaction (the repositories' transactions).
public struct BlacklistService: Sendable {
    private(set) var database: Database
    let cases: CaseService
    let calendar: WorkingDayCalendar
    /// Builds and validates a notification document inside the writing transaction.
    let notify: NotificationRenderer
    let now: @Sendable () -> Date

    public init(
        database: Database, cases: CaseService, calendar: WorkingDayCalendar, notify: @escaping NotificationRenderer,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.cases = cases
        self.calendar = calendar
        self.notify = notify
        self.now = now
    }

    var repository: BlacklistRepository { BlacklistRepository(database: database) }

    // MARK: Reading

    /// The entry `id` if the caller may see it (a judge: entries of their own cases).
    public func entry(id: UUID, by actor: ActingUser) async throws -> BlacklistEntry {
        try actor.require(.readCases)
        guard let entry = try await repository.entry(id: id.databaseText) else { throw Refusal.notFound }
        if actor.judgeScope != nil { _ = try await cases.visibleCase(id: entry.caseID, by: actor) }
        return entry
    }

    /// This service inside another transaction (a scheduled job's: issue 17).
    public func within(_ database: Database) -> BlacklistService {
        var joined = self
        joined.database = database
        return joined
    }

    /// The entries the caller may see, newest decision first; only those whose deletion is due
    /// when `deletionDue`. A fixed term that has ended is put on the due list by the scheduler's
    /// daily job (`recordExpiredTerms`).
    public func entries(deletionDue: Bool, by actor: ActingUser) async throws -> [BlacklistEntry] {
        try actor.require(.readCases)
        return deletionDue
            ? try await repository.dueDeletions(visibleToJudge: actor.judgeScope)
            : try await repository.all(visibleToJudge: actor.judgeScope)
    }

    /// Produces the notifications a grace period held, once it has ended (issue 16 item 3): the
    /// scheduler's daily job. Returns how many entries were released.
    @discardableResult
    public func releaseHeldNotifications(by actor: ActingUser) async throws -> Int {
        try actor.require(.changeCases)
        let instant = now()
        return try await BlacklistNotifications(database: database).releaseHeld(
            today: ShanghaiClock.today(instant), now: instant, render: notify)
    }

    /// Records the deletion trigger of every fixed term that has ended (art. 10, last paragraph):
    /// the scheduler's daily job. Returns how many entries it changed.
    @discardableResult
    public func recordExpiredTerms(by actor: ActingUser) async throws -> Int {
        try actor.require(.changeCases)
        let instant = now()
        return try await repository.recordExpiredTerms(
            today: ShanghaiClock.today(instant), calendar: calendar,
            audit: { entry in
                // Nobody decided this: the term ran out. The log names the scheduler.
                actor.audit(
                    "blacklist.trigger", entity: "blacklist_entry", id: entry.id.databaseText,
                    detail: "\(DeletionTrigger.termExpired.chinese)（\(entry.expiresOn?.description ?? "")，自动）", at: instant)
            }
        ).count
    }

    /// An entry's revocation, correction and request procedures.
    public func procedures(entryID: UUID, by actor: ActingUser) async throws -> [BlacklistProcedure] {
        let entry = try await entry(id: entryID, by: actor)
        return try await repository.procedures(entryID: entry.id.databaseText)
    }

    /// A listed debtor's photo. Any member of staff who reads the list sees it, as every notice
    /// draft shows every entry's photo (the draft is read before publication, 失信规定 art. 7).
    public func entryPhoto(entryID: UUID, by actor: ActingUser) async throws -> (contentType: String, bytes: Data) {
        try actor.require(.readCases)
        guard let entry = try await repository.entry(id: entryID.databaseText),
            let photo = try await DebtorRepository(database: database).photo(debtorID: entry.debtorID.databaseText)
        else { throw Refusal.notFound }
        return photo
    }

    /// The procedure `id` if the caller may see its entry.
    public func procedure(id: UUID, by actor: ActingUser) async throws -> BlacklistProcedure {
        guard let procedure = try await repository.procedure(id: id.databaseText) else { throw Refusal.notFound }
        _ = try await entry(id: procedure.entryID, by: actor)
        return procedure
    }

    /// The procedures still open that the caller may see, the earliest due first.
    public func openProcedures(by actor: ActingUser) async throws -> [BlacklistProcedure] {
        try actor.require(.readCases)
        return try await repository.openProcedures(visibleToJudge: actor.judgeScope)
    }

    /// The notifications the list produced, of one entry when `entryID` is given.
    public func notifications(entryID: UUID?, limit: Int = 200, by actor: ActingUser) async throws -> [StoredNotification] {
        try actor.require(.readCases)
        return try await BlacklistNotifications(database: database).list(
            entryID: entryID?.databaseText, visibleToJudge: actor.judgeScope, limit: limit)
    }

    /// One notification with its document.
    public func notification(id: UUID, by actor: ActingUser) async throws -> (StoredNotification, xml: String) {
        try actor.require(.readCases)
        guard let found = try await BlacklistNotifications(database: database).notification(id: id.databaseText) else {
            throw Refusal.notFound
        }
        _ = try await entry(id: found.0.entryID, by: actor)
        return found
    }

    // MARK: Changing

    /// Records a listing decision on a debtor of a case the caller may change (arts. 1–3; the
    /// rules: `Listing`).
    public func list(_ listing: BlacklistRepository.NewListing, by actor: ActingUser) async throws -> BlacklistEntry {
        let current = try await cases.changeableCase(id: listing.caseID, by: actor)
        try ListingDecision.checkEnforceable(
            status: current.summary.status, unperformed: current.summary.unperformed, caseNumber: current.summary.caseNumber.canonical)
        let user = try actor.requireUser()
        var listing = listing
        listing.caseID = current.summary.id
        let instant = now()
        return try await repository.create(
            listing, createdBy: user.id,
            audit: actor.audit(
                "blacklist.list", entity: "case", id: current.summary.id.databaseText, detail: current.summary.caseNumber.canonical,
                at: instant),
            today: ShanghaiClock.today(instant), now: instant, notify: notify)
    }

    /// The entry `id` if the caller may change it.
    private func changeableEntry(id: UUID, by actor: ActingUser) async throws -> BlacklistEntry {
        try actor.require(.changeCases)
        return try await entry(id: id, by: actor)
    }

    /// Records what triggers an entry's deletion and when; the deletion is then due within three
    /// working days (art. 10, or art. 2 ¶2 for an early deletion, which needs its `reason`).
    public func recordTrigger(
        entryID: UUID, _ trigger: DeletionTrigger, on date: CalendarDate, reason: String? = nil, by actor: ActingUser
    ) async throws -> BlacklistEntry {
        let entry = try await changeableEntry(id: entryID, by: actor)
        let instant = now()
        return try await repository.recordTrigger(
            entryID: entry.id.databaseText, trigger, on: date, reason: reason, calendar: calendar,
            audit: actor.audit(
                "blacklist.trigger", entity: "blacklist_entry", id: entry.id.databaseText,
                detail: trigger == .earlyDeletion ? "\(trigger.chinese)：\(reason?.trimmed ?? "")" : trigger.chinese, at: instant),
            today: ShanghaiClock.today(instant))
    }

    /// Deletes an entry from the list on `date`, and writes the notifications to the credit
    /// platform (and a public official's employer).
    public func delete(entryID: UUID, on date: CalendarDate, by actor: ActingUser) async throws -> BlacklistEntry {
        let entry = try await changeableEntry(id: entryID, by: actor)
        let instant = now()
        return try await repository.markDeleted(
            entryID: entry.id.databaseText, on: date,
            audit: actor.audit(
                "blacklist.delete", entity: "blacklist_entry", id: entry.id.databaseText, detail: entry.debtorName, at: instant),
            today: ShanghaiClock.today(instant), now: instant, notify: notify)
    }

    /// Opens a revocation, correction or request procedure on an entry, due by its deadline.
    public func openProcedure(
        entryID: UUID, kind: BlacklistProcedureKind, ground: ObjectionGround?, aroseOn date: CalendarDate, reason: String,
        by actor: ActingUser
    ) async throws -> BlacklistProcedure {
        let entry = try await changeableEntry(id: entryID, by: actor)
        let user = try actor.requireUser()
        let instant = now()
        return try await repository.openProcedure(
            entryID: entry.id.databaseText, kind: kind, ground: ground, aroseOn: date, reason: reason, calendar: calendar,
            createdBy: user.id,
            audit: actor.audit(
                "blacklist.procedure", entity: "blacklist_entry", id: entry.id.databaseText, detail: kind.chinese, at: instant),
            today: ShanghaiClock.today(instant), now: instant)
    }

    /// Records a 复议 application against a rejected correction request (art. 12): served on
    /// `servedOn`, applied for on `appliedOn` (within 10 days), due for decision 15 days later.
    /// The court one level up decides it; its decision is recorded here with `decide`.
    public func reconsider(
        requestID: UUID, servedOn: CalendarDate, appliedOn: CalendarDate, reason: String, by actor: ActingUser
    ) async throws -> BlacklistProcedure {
        try actor.require(.changeCases)
        let request = try await procedure(id: requestID, by: actor)
        let user = try actor.requireUser()
        let instant = now()
        return try await repository.openReconsideration(
            requestID: request.id.databaseText, servedOn: servedOn, appliedOn: appliedOn, reason: reason, calendar: calendar,
            createdBy: user.id,
            audit: actor.audit(
                "blacklist.procedure", entity: "blacklist_entry", id: request.entryID.databaseText,
                detail: BlacklistProcedureKind.reconsideration.chinese, at: instant),
            today: ShanghaiClock.today(instant), now: instant)
    }

    /// Decides an open procedure; an upheld one may name the deletion trigger it makes.
    public func decide(
        procedureID: UUID, outcome: ProcedureOutcome, on date: CalendarDate, note: String?, trigger: DeletionTrigger?,
        by actor: ActingUser
    ) async throws -> BlacklistProcedure {
        try actor.require(.changeCases)
        let procedure = try await procedure(id: procedureID, by: actor)
        let entry = try await entry(id: procedure.entryID, by: actor)
        let user = try actor.requireUser()
        let instant = now()
        return try await repository.decideProcedure(
            id: procedure.id.databaseText, outcome: outcome, on: date, note: note, trigger: trigger, calendar: calendar, decidedBy: user.id,
            audit: actor.audit(
                "blacklist.decide", entity: "blacklist_entry", id: entry.id.databaseText,
                detail: "\(procedure.kind.rawValue) \(outcome.rawValue)",
                at: instant),
            today: ShanghaiClock.today(instant), now: instant, notify: notify)
    }
}

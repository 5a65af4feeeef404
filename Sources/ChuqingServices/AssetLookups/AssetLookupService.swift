import ChuqingDocuments
import ChuqingDomain
import ChuqingPersistence
import Foundation

/// Asks the departments of a look-up's categories; the server's `LookupRunner` does it, over the
/// county's data exchange and the extracts.
public protocol LookupDispatcher: Sendable {
    /// Starts asking in the background (all pending categories, or only `only`) and returns at once.
    func start(lookupID: String, only: String?)
    /// Asks and returns when every category has ended.
    func run(lookupID: String, only: String?) async
}

/// Asset look-ups across the data categories other departments share with the court (网络查控):
/// the catalogue of categories and their extracts, starting a look-up on a case (with the
/// director's approval where the court requires it), retrying a category, the applicant's notice
/// and what the applicant was told, the log auditors search (法释〔2013〕20号: queries are
/// checked), and the periodic look-ups of 终本 cases (法〔2016〕373号 art. 9).
public struct AssetLookupService: Sendable {
    private(set) var database: Database
    let dispatcher: any LookupDispatcher
    /// Whether a judge's look-up waits for the director's approval.
    public let approval: AssetLookup.Approval
    let now: @Sendable () -> Date

    public init(
        database: Database, dispatcher: any LookupDispatcher, approval: AssetLookup.Approval,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.dispatcher = dispatcher
        self.approval = approval
        self.now = now
    }

    var repository: AssetLookupRepository { AssetLookupRepository(database: database) }

    private func audit(_ actor: ActingUser, _ action: String, _ id: String, _ detail: String) -> AuditEntry {
        actor.audit(action, entity: action.hasPrefix("category") ? "data_category" : "asset_lookup", id: id, detail: detail, at: now())
    }

    // MARK: The catalogue

    /// The data categories, in their order.
    public func catalogue(by actor: ActingUser) async throws -> [DataCategory] {
        try actor.require(.readCategories)
        return try await repository.catalogue()
    }

    /// Category `code`; `Refusal.notFound` when there is none.
    public func category(code: String?, by actor: ActingUser) async throws -> DataCategory {
        try actor.require(.readCategories)
        guard let code, let category = try await repository.catalogue().first(where: { $0.code == code }) else { throw Refusal.notFound }
        return category
    }

    /// Adds a data category.
    public func addCategory(_ category: DataCategory, by actor: ActingUser) async throws -> DataCategory {
        try actor.require(.manageCategories)
        return try await repository.save(category, isNew: true, audit: audit(actor, "category.add", category.code, category.name))
    }

    /// Changes category `code` with `change` (re-timing, renaming, switching connector, disabling).
    public func changeCategory(
        code: String?, by actor: ActingUser, _ change: (inout DataCategory) throws(DomainError) -> Void
    ) async throws -> DataCategory {
        try actor.require(.manageCategories)
        var category = try await category(code: code, by: actor)
        try change(&category)
        return try await repository.save(
            category, isNew: false,
            audit: audit(actor, "category.change", category.code, "\(category.name)\(category.isEnabled ? "" : "（停用）")"))
    }

    /// Loads a department's extract file as category `code`'s current extract.
    public func loadExtract(
        _ data: Data, category code: String, fileName: String, extractedOn: CalendarDate?, by actor: ActingUser
    ) async throws -> SnapshotImport.Result {
        try actor.require(.manageCategories)
        return try await SnapshotImport.load(
            data, category: code, fileName: fileName, extractedOn: extractedOn, loadedBy: actor.name ?? "命令行",
            actorID: actor.user?.id, database: database, now: now())
    }

    /// The current extract of every category that has one.
    public func extracts(by actor: ActingUser) async throws -> [SnapshotSummary] {
        try actor.require(.readSnapshots)
        return try await SnapshotRepository(database: database).current()
    }

    // MARK: Look-ups

    /// The look-up `id` if this caller may read it: the director and auditors any, a judge those
    /// on their own cases.
    public func lookup(id: UUID, by actor: ActingUser) async throws -> StoredLookup {
        try actor.require(.readLookups)
        guard let lookup = try await repository.lookup(id: id.databaseText) else { throw Refusal.notFound }
        if actor.judgeScope != nil { _ = try await CaseService.visibleCase(id: lookup.caseID, by: actor, database: database) }
        return lookup
    }

    /// The look-ups of a case this caller may see, newest first.
    public func lookups(caseID: UUID, by actor: ActingUser) async throws -> [AssetLookupRepository.LookupSummary] {
        try actor.require(.readLookups)
        _ = try await CaseService.visibleCase(id: caseID, by: actor, database: database)
        return try await repository.lookups(caseID: caseID.databaseText)
    }

    /// The finding `id` if this caller may see its case (another judge's is `Refusal.notFound`).
    public func finding(id: UUID, by actor: ActingUser) async throws -> AssetLookupRepository.FindingContext {
        try actor.require(.readLookups)
        guard let finding = try await repository.finding(id: id.databaseText) else { throw Refusal.notFound }
        _ = try await CaseService.visibleCase(id: finding.caseID, by: actor, database: database)
        return finding
    }

    /// Starts a look-up on a case this caller may see: checked, stored, and asked at once unless
    /// it waits for the director's approval.
    public func start(caseID: UUID, debtorID: UUID, categories: [String]?, legalBasis: String, by actor: ActingUser) async throws
        -> StoredLookup
    {
        try actor.require(.startLookups)
        let detail = try await CaseService.visibleCase(id: caseID, by: actor, database: database)
        try AssetLookup.checkCaseOpen(detail.summary.status, caseNumber: detail.summary.caseNumber.canonical)
        let request = try AssetLookup.Request(categories: categories, legalBasis: legalBasis, catalogue: try await repository.catalogue())
        let user = try actor.requireUser()
        let start: AssetLookupRepository.Start =
            user.role == .director
            ? .running(approvedBy: user.id)
            : approval == .director ? .awaitingApproval : .running(approvedBy: nil)
        let instant = now()
        let lookup = try await repository.create(
            caseID: detail.summary.id.databaseText, debtorID: debtorID.databaseText, request: request, purpose: .manual,
            requestedBy: user.id,
            start: start,
            audit: actor.audit(
                "lookup.start", entity: "case", id: detail.summary.id.databaseText,
                detail: "\(detail.summary.caseNumber.canonical) \(request.categories.count) 类：\(request.legalBasis)"
                    + (start == .awaitingApproval ? "（待审批）" : ""),
                at: instant),
            now: instant)
        if start != .awaitingApproval { dispatcher.start(lookupID: lookup.id.databaseText, only: nil) }
        return lookup
    }

    /// Asks one failed or timed-out category of a look-up again, alone.
    public func retry(lookupID: UUID, category code: String?, by actor: ActingUser) async throws -> StoredLookup {
        try actor.require(.startLookups)
        let lookup = try await lookup(id: lookupID, by: actor)
        guard let code, lookup.categories.contains(where: { $0.code == code }) else { throw Refusal.notFound }
        guard
            try await repository.reopen(
                lookupID: lookup.id.databaseText, category: code, audit: audit(actor, "lookup.retry", lookup.id.databaseText, code))
        else {
            throw DomainError(code: "category_not_failed", message: "只能重查失败或超时的类别；该类别已答复或仍在查询中", field: "code", kind: .conflict)
        }
        dispatcher.start(lookupID: lookup.id.databaseText, only: code)
        return try await repository.lookup(id: lookup.id.databaseText) ?? lookup
    }

    /// The director approves a look-up that waits, and it is asked at once.
    public func approve(lookupID: UUID, by actor: ActingUser) async throws -> StoredLookup {
        try actor.require(.approveLookups)
        let lookup = try await lookup(id: lookupID, by: actor)
        let detail = try await CaseService.visibleCase(id: lookup.caseID, by: actor, database: database)
        try AssetLookup.checkCaseOpen(detail.summary.status, caseNumber: detail.summary.caseNumber.canonical)
        try await repository.approve(
            lookupID: lookup.id.databaseText, by: try actor.requireUser().id,
            audit: audit(actor, "lookup.approve", lookup.id.databaseText, "\(lookup.caseNumber) \(lookup.debtorName)"), now: now())
        dispatcher.start(lookupID: lookup.id.databaseText, only: nil)
        return try await repository.lookup(id: lookup.id.databaseText)!
    }

    /// The director refuses a look-up that waits, with the reason.
    public func refuse(lookupID: UUID, reason: String, by actor: ActingUser) async throws -> StoredLookup {
        try actor.require(.approveLookups)
        let lookup = try await lookup(id: lookupID, by: actor)
        try await repository.refuse(
            lookupID: lookup.id.databaseText, by: try actor.requireUser().id, reason: reason,
            audit: audit(actor, "lookup.refuse", lookup.id.databaseText, "\(lookup.caseNumber) \(lookup.debtorName)：\(reason)"), now: now())
        return try await repository.lookup(id: lookup.id.databaseText)!
    }

    /// Records when and how the applicant was told the result.
    public func recordTold(lookupID: UUID, on day: CalendarDate, how: String, by actor: ActingUser) async throws -> StoredLookup {
        try actor.require(.startLookups)
        let lookup = try await lookup(id: lookupID, by: actor)
        try await repository.recordApplicantTold(
            lookupID: lookup.id.databaseText, on: day, how: how, by: try actor.requireUser().id,
            audit: audit(actor, "lookup.told", lookup.id.databaseText, "\(lookup.caseNumber) \(day) \(how)"), now: now())
        return try await repository.lookup(id: lookup.id.databaseText)!
    }

    /// The 终本 debtors whose periodic look-up is due (a judge: of their own cases).
    public func due(by actor: ActingUser) async throws -> [AssetLookupRepository.DueLookup] {
        try actor.require(.startLookups)
        return try await repository.due(judgeID: actor.judgeScope, today: ShanghaiClock.today(now()), limit: .max)
    }

    /// How many look-ups wait for the director's approval.
    public func awaitingApprovalCount(by actor: ActingUser) async throws -> Int {
        try actor.require(.approveLookups)
        return try await repository.count(status: .awaitingApproval)
    }

    /// The look-up log, filtered (auditors and the director).
    public func log(_ filter: LookupLogFilter, limit: Int, after cursor: String?, by actor: ActingUser) async throws -> (
        items: [LookupLogEntry], nextCursor: String?
    ) {
        try actor.require(.auditLookups)
        return try await repository.log(filter, limit: limit, after: cursor)
    }

    /// The applicant's notice of a completed look-up: per category, the kinds of property found.
    public func noticeContent(lookupID: UUID, by actor: ActingUser) async throws -> LookupNoticeDocument.Content {
        let lookup = try await lookup(id: lookupID, by: actor)
        guard lookup.status == .completed else {
            throw DomainError(code: "lookup_not_completed", message: "查询尚未完成，完成后才能生成告知书", kind: .conflict)
        }
        guard let detail = try await CaseRepository(database: database).detail(id: lookup.caseID.databaseText) else {
            throw Refusal.notFound
        }
        let catalogue = try await repository.catalogue()
        return LookupNoticeDocument.Content(
            id: lookup.id.databaseText, courtName: detail.summary.court.name, courtCode: detail.summary.court.code,
            date: ShanghaiClock.today(now()),
            caseNumber: lookup.caseNumber, applicants: detail.applicants, debtorName: lookup.debtorName,
            lookedUpOn: ShanghaiClock.today(lookup.requestedAt), purpose: lookup.purpose,
            categories: lookup.categories.map { category in
                var found: [(kind: AssetFinding.Kind, count: Int)] = []
                for finding in category.findings {
                    let kind = finding.kind
                    guard FindingMeasures.isProperty(kind) else { continue }
                    if let index = found.firstIndex(where: { $0.kind == kind }) { found[index].count += 1 } else { found.append((kind, 1)) }
                }
                return .init(
                    name: category.name, department: catalogue.first { $0.code == category.code }?.department ?? category.name,
                    status: category.status, found: found)
            })
    }

    /// This service inside another transaction (a scheduled job's: issue 17).
    public func within(_ database: Database) -> AssetLookupService {
        var joined = self
        joined.database = database
        return joined
    }

    /// Starts the periodic look-ups due today (法〔2016〕373号 art. 9), every enabled category, and
    /// waits until each has ended. `approvedBy` names the director who approved the run, required
    /// when the court asks for approval (`chuqing lookups run-due`).
    public func runDue(approvedBy username: String?, by actor: ActingUser) async throws -> [StoredLookup] {
        try actor.require(.startLookups)
        var approver: UUID?
        if let username {
            guard let stored = try await UserRepository().find(username: try Username(username), on: database.sql),
                stored.user.role == .director, !stored.user.isDisabled
            else {
                throw DomainError(code: "unknown_director", message: "「\(username)」不是在用的院领导（执行局长）账号，不能批准定期查询", field: "approvedBy")
            }
            approver = stored.user.id
        } else if approval == .director {
            throw DomainError(
                code: "approval_required",
                message: "本院的财产查询须经批准（CHUQING_LOOKUP_APPROVAL=director）：请用 --approved-by 写明批准的院领导用户名")
        }
        var done: [StoredLookup] = []
        for id in try await createDue(start: .running(approvedBy: approver), by: actor) {
            await dispatcher.run(lookupID: id.databaseText, only: nil)
            done.append(try await repository.lookup(id: id.databaseText)!)
        }
        return done
    }

    /// The scheduler's daily job: records the periodic look-ups due today, waiting for the
    /// director's approval when the court asks for it (`CHUQING_LOOKUP_APPROVAL=director`), and
    /// returns them with how to start asking the exchanges once they are committed.
    public func scheduleDue(by actor: ActingUser) async throws -> (created: [UUID], awaitingApproval: Bool, ask: @Sendable () async -> Void)
    {
        try actor.require(.startLookups)
        let awaiting = approval == .director
        let created = try await createDue(start: awaiting ? .awaitingApproval : .running(approvedBy: nil), by: actor)
        let dispatcher = self.dispatcher
        return (
            created, awaiting,
            {
                // Handed to the runner's queue, not awaited: a scheduler worker is not held for
                // the departments' answers, and a server stopping is not held either (the runner
                // asks again what is left unanswered when it starts: `resumeUnfinished`).
                guard !awaiting else { return }
                for id in created { dispatcher.start(lookupID: id.databaseText, only: nil) }
            }
        )
    }

    /// Records a look-up of every category for each debtor whose periodic look-up is due today.
    private func createDue(start: AssetLookupRepository.Start, by actor: ActingUser) async throws -> [UUID] {
        let instant = now()
        let today = ShanghaiClock.today(instant)
        let request = try AssetLookup.Request(
            categories: nil, legalBasis: "法〔2016〕373号第九条：终本后五年内每六个月查询一次", catalogue: try await repository.catalogue())
        var created: [UUID] = []
        for item in try await repository.due(judgeID: nil, today: today, limit: 100_000) {
            let lookup = try await repository.create(
                caseID: item.caseID.databaseText, debtorID: item.debtorID.databaseText, request: request, purpose: .periodic,
                requestedBy: nil,
                start: start,
                audit: actor.audit(
                    "lookup.start", entity: "case", id: item.caseID.databaseText, detail: "\(item.caseNumber) 定期查询（应于 \(item.dueOn)）",
                    at: instant),
                now: instant)
            created.append(lookup.id)
        }
        return created
    }
}

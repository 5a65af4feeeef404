import ChuqingDomain
import ChuqingPersistence
import Foundation

/// The township network (issue 6): its townships with their villages, liaisons and figures; the
/// debtors a judge asks a township to look for; household visits and the portrait built from them.
public struct NetworkService: Sendable {
    let database: Database
    let debtors: DebtorService
    let now: @Sendable () -> Date

    public init(database: Database, debtors: DebtorService, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.debtors = debtors
        self.now = now
    }

    var network: NetworkRepository { NetworkRepository(database: database) }
    var visits: VisitRepository { VisitRepository(database: database) }

    /// The townships this caller may see: staff any (all, or the one asked for); a commissioner
    /// their own; a village liaison or assisting enforcer none (the network is the commissioner's
    /// to coordinate).
    public func townships(asked: String?, by actor: ActingUser) async throws -> [TownshipNetwork] {
        try actor.require(.readDebtors)
        let asked = asked.flatMap { $0.trimmed.isEmpty ? nil : $0.trimmed }
        if let user = actor.user, user.role == .liaison {
            guard user.liaisonKind == .commissioner, let own = user.townshipCode else {
                throw Refusal(.forbidden, code: "forbidden", message: "乡镇网络情况仅执行专员和法院工作人员可查看")
            }
            if let asked, asked != own { throw Refusal.notFound }
            return try await network.townships(own)
        }
        let townships = try await network.townships(asked)
        if asked != nil, townships.isEmpty { throw Refusal.notFound }
        return townships
    }

    /// The county's townships, for forms and programs: any signed-in caller.
    public func allTownships(by actor: ActingUser) async throws -> [Township] {
        _ = try actor.requireUser()
        return try await TownshipRepository().all(on: database.sql)
    }

    /// A township's registered villages; `Refusal.notFound` for an unknown township.
    public func villages(of townshipCode: String?, by actor: ActingUser) async throws -> [Village] {
        _ = try actor.requireUser()
        guard let villages = try await VillageRepository(database: database).villages(of: townshipCode ?? "") else {
            throw Refusal.notFound
        }
        return villages
    }

    /// Every registered village of the county (the admin's user form).
    public func allVillages(by actor: ActingUser) async throws -> [Village] {
        _ = try actor.requireUser()
        return try await VillageRepository(database: database).all()
    }

    /// The townships asked to look for debtor `id`.
    public func assignments(debtorID: UUID, by actor: ActingUser) async throws -> [DebtorAssignment] {
        let debtor = try await debtors.visibleDebtor(id: debtorID, by: actor)
        return try await network.assignments(debtorID: debtor.id.databaseText)
    }

    /// Asks `township` (code or name is resolved by the repository's check) to look for the debtor.
    public func assign(debtorID: UUID, township: String, note: String?, by actor: ActingUser) async throws -> DebtorAssignment {
        try actor.require(.changeCases)
        let debtor = try await debtors.visibleDebtor(id: debtorID, by: actor)
        let user = try actor.requireUser()
        let instant = now()
        return try await network.assign(
            debtorID: debtor.id.databaseText, township: township.trimmed, note: note, by: user.id,
            audit: actor.audit(
                "debtor.assign", entity: "debtor", id: debtor.id.databaseText, detail: "\(debtor.name) → \(township)", at: instant),
            now: instant)
    }

    /// Ends the township's search for the debtor; `Refusal.notFound` when it was not asked.
    public func endAssignment(debtorID: UUID, township: String, by actor: ActingUser) async throws {
        try actor.require(.changeCases)
        let debtor = try await debtors.visibleDebtor(id: debtorID, by: actor)
        let user = try actor.requireUser()
        let instant = now()
        let ended = try await network.endAssignment(
            debtorID: debtor.id.databaseText, township: township, by: user.id,
            audit: actor.audit(
                "debtor.unassign", entity: "debtor", id: debtor.id.databaseText, detail: "\(debtor.name) ✕ \(township)", at: instant),
            now: instant)
        guard ended else { throw Refusal.notFound }
    }

    /// The debtor `id` if this caller may record or read visits on them: a liaison in their
    /// township, staff as for the debtor's page.
    public func visitableDebtor(id: UUID, by actor: ActingUser) async throws -> (id: UUID, name: String) {
        switch try await debtors.view(id: id, by: actor) {
        case .court(let debtor): (debtor.id, debtor.name)
        case .liaison(let view): (view.id, view.name)
        }
    }

    /// A household visit as the visitor reports it.
    public struct VisitInput: Sendable {
        public var visitedOn: CalendarDate?
        public var visitors: String
        public var foundAtHome: Bool
        public var facts: [Visit.Fact: String]
        public var note: String?

        public init(visitedOn: CalendarDate?, visitors: String, foundAtHome: Bool, facts: [Visit.Fact: String], note: String?) {
            self.visitedOn = visitedOn
            self.visitors = visitors
            self.foundAtHome = foundAtHome
            self.facts = facts
            self.note = note
        }
    }

    /// Records a household visit (today when no date is given; the rules: `Visit`).
    public func addVisit(_ input: VisitInput, debtorID: UUID, by actor: ActingUser) async throws -> StoredVisit {
        try actor.require(.recordVisits)
        let (id, name) = try await visitableDebtor(id: debtorID, by: actor)
        let user = try actor.requireUser()
        let instant = now()
        let today = ShanghaiClock.today(instant)
        let visit = try Visit(
            visitedOn: input.visitedOn ?? today, visitors: input.visitors, foundAtHome: input.foundAtHome, facts: input.facts,
            note: input.note, today: today)
        return try await visits.add(
            visit, debtorID: id.databaseText, submittedBy: user.id, township: user.role == .liaison ? user.townshipCode : nil,
            audit: actor.audit(
                "debtor.visit", entity: "debtor", id: id.databaseText,
                detail: "\(name) \(visit.visitedOn)\(visit.foundAtHome ? " 见到本人" : "")",
                at: instant),
            now: instant)
    }

    /// The visits to the debtor: a liaison reads the ones they made; the portrait's other
    /// sources are for the court.
    public func visits(debtorID: UUID, by actor: ActingUser) async throws -> [StoredVisit] {
        try actor.require(.readVisits)
        let (id, _) = try await visitableDebtor(id: debtorID, by: actor)
        let mine = actor.user.flatMap { $0.role == .liaison ? $0.id : nil }
        return try await visits.visits(debtorID: id.databaseText, submittedBy: mine)
    }

    /// The debtor's portrait built from the visits (court staff only: it holds family and assets).
    public func portrait(debtorID: UUID, by actor: ActingUser) async throws -> DebtorPortrait {
        try actor.require(.readPortraits)
        let debtor = try await debtors.visibleDebtor(id: debtorID, by: actor)
        return try await visits.portrait(debtorID: debtor.id.databaseText)
    }

    /// What the township network knows of a debtor, for the court's debtor page: the portrait
    /// from the visits, the liaisons' leads in arrival order and the townships asked to look.
    public struct DebtorSection: Sendable {
        public let portrait: DebtorPortrait
        public let leads: [StoredLead]
        public let assignments: [DebtorAssignment]
    }

    /// The debtor page's network section (those who may read portraits: it holds family and
    /// assets).
    public func debtorSection(debtorID: UUID, by actor: ActingUser) async throws -> DebtorSection {
        try actor.require(.readPortraits)
        let id = try await debtors.visibleDebtor(id: debtorID, by: actor).id.databaseText
        return DebtorSection(
            portrait: try await visits.portrait(debtorID: id), leads: try await LeadRepository(database: database).list(debtor: id),
            assignments: try await network.assignments(debtorID: id))
    }

    // MARK: Villages

    /// Registers a village (行政村/社区) of township `code`.
    public func addVillage(name: String, townshipCode code: String, by actor: ActingUser) async throws -> Village {
        try actor.require(.manageUsers)
        let repository = VillageRepository(database: database)
        guard try await repository.villages(of: code) != nil else { throw Refusal.notFound }
        let instant = now()
        return try await repository.add(
            name: name, townshipCode: code,
            audit: actor.audit("village.add", entity: "township", id: code, detail: name.trimmed, at: instant), now: instant)
    }

    /// Registers the villages of a list (`乡镇,村（社区）` rows), all or nothing; `source` names
    /// the list in the audit log.
    public func importVillages(_ records: [CSVReader.Record], source: String, by actor: ActingUser) async throws
        -> VillageRepository.ListImport
    {
        try actor.require(.manageUsers)
        let instant = now()
        return try await VillageRepository(database: database).importList(
            records, audit: actor.audit("village.import", entity: "township", id: nil, detail: source, at: instant), now: instant)
    }
}

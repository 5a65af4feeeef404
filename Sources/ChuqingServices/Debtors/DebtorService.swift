import ChuqingDomain
import ChuqingPersistence
import Foundation

/// Debtors: search by name or ID number, one debtor with all their cases, their contact details
/// and status, and their photo.
///
/// A judge sees the debtors of the cases assigned to them; a liaison sees only what finding the
/// person needs, and only for debtors in their township (issue 6); anything else is "not found".
public struct DebtorService: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.now = now
    }

    var repository: DebtorRepository { DebtorRepository(database: database) }

    /// Debtors whose name contains `name` or whose ID number is `idNumber`, among those the caller
    /// may see.
    public func search(name: String?, idNumber: String?, limit: Int, after cursor: String?, by actor: ActingUser) async throws -> (
        items: [DebtorSummary], nextCursor: String?
    ) {
        try actor.require(.readCases)
        return try await repository.search(
            name: name.flatMap { $0.trimmed.isEmpty ? nil : $0.trimmed }, idNumber: idNumber.flatMap { $0.isEmpty ? nil : $0.uppercased() },
            visibleToJudge: actor.judgeScope, limit: limit, after: cursor)
    }

    /// The debtor `id` with their cases, if the caller (court staff) may see them.
    public func visibleDebtor(id: UUID, by actor: ActingUser) async throws -> DebtorDetail {
        try actor.require(.readCases)
        guard let debtor = try await repository.detail(id: id.databaseText, visibleToJudge: actor.judgeScope) else {
            throw Refusal.notFound
        }
        return debtor
    }

    /// The liaison's township, or nil when the caller is not a liaison.
    func liaisonTownship(_ actor: ActingUser) throws(Refusal) -> String? {
        guard let user = actor.user, user.role == .liaison else { return nil }
        guard let township = user.townshipCode else { throw Refusal.notFound }
        return township
    }

    /// The debtor `id` as a liaison of their township sees them.
    public func liaisonDebtor(id: UUID, by actor: ActingUser) async throws -> LiaisonDebtorView {
        try actor.require(.submitLeads)
        guard let township = try liaisonTownship(actor),
            let view = try await LeadRepository(database: database).debtor(id: id.databaseText, township: township)
        else { throw Refusal.notFound }
        return view
    }

    /// What the API shows of debtor `id`: the whole record to court staff, the finding card to a
    /// liaison.
    public enum View: Sendable {
        case court(DebtorDetail)
        case liaison(LiaisonDebtorView)
    }

    /// The debtor `id` as this caller may see them.
    public func view(id: UUID, by actor: ActingUser) async throws -> View {
        if try liaisonTownship(actor) != nil { return .liaison(try await liaisonDebtor(id: id, by: actor)) }
        return .court(try await visibleDebtor(id: id, by: actor))
    }

    /// A debtor's standings as a public official as a person gives them (API names or Chinese).
    public struct StandingInput: Sendable {
        public var standings: [String]
        public var deputyLevel: String?
        /// Nil keeps the debtor's employer.
        public var employer: String?
        public var superior: String?
        public var verifiedBy: String?

        public init(standings: [String], deputyLevel: String?, employer: String?, superior: String?, verifiedBy: String?) {
            self.standings = standings
            self.deputyLevel = deputyLevel
            self.employer = employer
            self.superior = superior
            self.verifiedBy = verifiedBy
        }

        /// The checked profile; `current` supplies what is not given.
        func profile(current: DebtorDetail) throws(DomainError) -> OfficialProfile {
            var kinds: [OfficialStanding] = []
            for text in standings where !text.trimmed.isEmpty { kinds.append(try OfficialStanding.parse(text)) }
            let level = try deputyLevel?.trimmed.nilIfEmpty.map { text throws(DomainError) in try DeputyLevel.parse(text) }
            return try OfficialProfile(
                standings: kinds, deputyLevel: level, employer: employer ?? current.employer,
                superior: superior ?? current.official.superior,
                verifiedBy: verifiedBy ?? current.official.verifiedBy)
        }
    }

    /// Changes a debtor's name, representative, contact details, township, village or standing as
    /// a public official (the ID and kind never change: a different ID is a different debtor).
    public func update(id: UUID, _ changes: DebtorChanges, standing: StandingInput? = nil, by actor: ActingUser) async throws
        -> DebtorDetail
    {
        try actor.require(.changeCases)
        let current = try await visibleDebtor(id: id, by: actor)
        let instant = now()
        var changes = changes
        if let standing { changes.official = try standing.profile(current: current) }
        return try await repository.update(
            id: current.id.databaseText, changes,
            audit: actor.audit("debtor.update", entity: "debtor", id: current.id.databaseText, detail: current.name, at: instant),
            now: instant)
    }

    /// Replaces the debtor's photo (for liaisons to recognise them).
    public func setPhoto(id: UUID, _ photo: DebtorPhoto, by actor: ActingUser) async throws {
        try actor.require(.changeCases)
        let debtor = try await visibleDebtor(id: id, by: actor)
        let user = try actor.requireUser()
        let instant = now()
        try await repository.setPhoto(
            debtorID: debtor.id.databaseText, photo, uploadedBy: user.id,
            audit: actor.audit(
                "debtor.photo", entity: "debtor", id: debtor.id.databaseText, detail: "\(debtor.name) \(photo.bytes.count) 字节", at: instant),
            now: instant)
    }

    /// The debtor's photo, for court staff who see the debtor and the liaisons of their township.
    public func photo(id: UUID, by actor: ActingUser) async throws -> (contentType: String, bytes: Data) {
        let debtorID: String
        switch try await view(id: id, by: actor) {
        case .court(let debtor): debtorID = debtor.id.databaseText
        case .liaison(let view): debtorID = view.id.databaseText
        }
        guard let photo = try await repository.photo(debtorID: debtorID) else { throw Refusal.notFound }
        return photo
    }
}

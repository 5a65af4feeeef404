import ChuqingDomain
import Foundation
import SQLKit

/// A stored household visit.
public struct StoredVisit: Sendable, Equatable {
    public let id: UUID
    public let debtorID: UUID
    public let visitedOn: CalendarDate
    public let visitors: String
    public let foundAtHome: Bool
    /// The facts reported.
    public let facts: [Visit.Fact: String]
    public let note: String?
    public let submittedBy: UUID
    public let submittedByName: String
    public let receivedAt: Date
}

/// Household visits (入户走访) and the debtor portraits (人物画像) built from them. Visits are
/// only ever inserted.
public struct VisitRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func add(_ visit: Visit, debtorID: String, submittedBy: UUID, township: String?, audit: AuditEntry, now: Date) async throws
        -> StoredVisit
    {
        let id = UUID().databaseText
        return try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO visits (id, debtor_id, visited_on, visitors, found_at_home, current_address, phone, work, whereabouts, family,
                                    assets_seen, attitude, note, submitted_by, township_code, received_at)
                VALUES (\(bind: id), \(bind: debtorID), \(bind: visit.visitedOn.description), \(bind: visit.visitors), \(bind: visit.foundAtHome),
                        \(bind: visit.facts[.currentAddress]), \(bind: visit.facts[.phone]), \(bind: visit.facts[.work]),
                        \(bind: visit.facts[.whereabouts]), \(bind: visit.facts[.family]), \(bind: visit.facts[.assetsSeen]),
                        \(bind: visit.facts[.attitude]), \(bind: visit.note), \(bind: submittedBy.databaseText), \(bind: township), \(bind: now))
                """
            ).run()
            try await AuditLogRepository().append(audit, on: db)
            return try await Self.rows(" WHERE v.id = \(bind: id)", on: db)[0].stored()
        }
    }

    /// A debtor's visits, oldest first; only those `submittedBy` made, when given.
    public func visits(debtorID: String, submittedBy: UUID? = nil) async throws -> [StoredVisit] {
        var tail: SQLQueryString = " WHERE v.debtor_id = \(bind: debtorID)"
        if let submittedBy { tail = tail + " AND v.submitted_by = \(bind: submittedBy.databaseText)" }
        return try await Self.rows(tail, on: database.sql).map { try $0.stored() }
    }

    /// The debtor's portrait: the newest value of each fact with its date and visit, and every
    /// earlier one.
    public func portrait(debtorID: String) async throws -> DebtorPortrait {
        let rows = try await Self.rows(" WHERE v.debtor_id = \(bind: debtorID)", on: database.sql)
        return DebtorPortrait(
            visits: rows.enumerated().compactMap { index, row in
                // Rows were checked when stored; one that no longer passes (a rule tightened since)
                // still counts, with the facts as stored.
                guard let on = try? CalendarDate.parse(row.visited_on) else { return nil }
                return DebtorPortrait.Source(
                    id: row.id,
                    visit: Visit(
                        stored: on, visitors: row.visitors, foundAtHome: row.found_at_home,
                        facts: row.facts, note: row.note), sequence: index)
            })
    }

    struct Row: Decodable {
        let id: String
        let debtor_id: String
        let visited_on: String
        let visitors: String
        let found_at_home: Bool
        let current_address: String?
        let phone: String?
        let work: String?
        let whereabouts: String?
        let family: String?
        let assets_seen: String?
        let attitude: String?
        let note: String?
        let submitted_by: String
        let submitted_by_name: String
        let received_at: Date

        var facts: [Visit.Fact: String] {
            let pairs: [(Visit.Fact, String?)] = [
                (.currentAddress, current_address), (.phone, phone), (.work, work), (.whereabouts, whereabouts),
                (.family, family), (.assetsSeen, assets_seen), (.attitude, attitude),
            ]
            return Dictionary(uniqueKeysWithValues: pairs.compactMap { fact, value in value.map { (fact, $0) } })
        }

        func stored() throws -> StoredVisit {
            StoredVisit(
                id: try Stored.uuid(id, "visits.id"), debtorID: try Stored.uuid(debtor_id, "visits.debtor_id"),
                visitedOn: try Stored.date(visited_on, "visits.visited_on"), visitors: visitors, foundAtHome: found_at_home,
                facts: facts, note: note, submittedBy: try Stored.uuid(submitted_by, "visits.submitted_by"),
                submittedByName: submitted_by_name, receivedAt: received_at)
        }
    }

    static func rows(_ tail: SQLQueryString, on db: any SQLDatabase) async throws -> [Row] {
        try await db.raw(
            """
            SELECT v.id, v.debtor_id, v.visited_on, v.visitors, v.found_at_home, v.current_address, v.phone, v.work, v.whereabouts, v.family,
                   v.assets_seen, v.attitude, v.note, v.submitted_by, u.display_name AS submitted_by_name, v.received_at
            FROM visits v JOIN users u ON u.id = v.submitted_by
            """ + tail + " ORDER BY v.visited_on, v.received_at, v.id"
        ).all(decoding: Row.self)
    }
}

import ChuqingDomain
import Foundation
import SQLKit

/// What a township's network did: leads sent, verified, verified as leading to a payment, and
/// household visits made (issue 6 item 7).
public struct NetworkFigures: Sendable, Equatable {
    public var leadsSubmitted = 0
    public var leadsVerified = 0
    /// Verified leads linked to a payment (执行到位款项).
    public var leadsLeadingToRecovery = 0
    public var visits = 0

    public init() {}
}

/// A liaison of the network, with what they did.
public struct NetworkMember: Sendable, Equatable {
    public let id: UUID
    public let displayName: String
    public let kind: LiaisonKind
    public let villageID: String?
    public let village: String?
    public let disabled: Bool
    public let figures: NetworkFigures
}

/// One township: its villages, its liaisons and their figures.
public struct TownshipNetwork: Sendable, Equatable {
    public let code: String
    public let name: String
    public let villages: [Village]
    public let members: [NetworkMember]
    public let figures: NetworkFigures
}

/// A debtor a judge asked a township to look for.
public struct DebtorAssignment: Sendable, Equatable {
    public let id: UUID
    public let debtorID: UUID
    public let townshipCode: String
    public let township: String
    public let note: String?
    public let assignedBy: String?
    public let assignedAt: Date
}

/// The township network: who is in it, the debtors judges assign to it, and its figures.
public struct NetworkRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    // MARK: Assignments

    /// Asks `township` to look for the debtor; assigning again while the first stands returns it.
    public func assign(debtorID: String, township: String, note: String?, by user: UUID, audit: AuditEntry, now: Date) async throws
        -> DebtorAssignment
    {
        let note = note?.trimmed
        if let note, note.count > 200 {
            throw DomainError(code: "field_too_long", message: "说明最多 200 字（收到 \(note.count) 字）", field: "note")
        }
        return try await database.transaction { db in
            guard try await db.raw("SELECT code FROM townships WHERE code = \(bind: township)").first() != nil else {
                throw DomainError(code: "unknown_township", message: "没有编码为「\(township)」的乡镇；请从乡镇列表中选择", field: "township")
            }
            if let existing = try await Self.assignments(
                " AND a.debtor_id = \(bind: debtorID) AND a.township_code = \(bind: township)", on: db
            ).first {
                return existing
            }
            let id = UUID().databaseText
            try await db.raw(
                """
                INSERT INTO debtor_assignments (id, debtor_id, township_code, note, assigned_by, assigned_at)
                VALUES (\(bind: id), \(bind: debtorID), \(bind: township), \(bind: note?.isEmpty == false ? note : nil), \(bind: user.databaseText), \(bind: now))
                """
            ).run()
            try await AuditLogRepository().append(audit, on: db)
            return try await Self.assignments(" AND a.id = \(bind: id)", on: db)[0]
        }
    }

    /// Ends the debtor's standing assignment to `township`; false when there was none.
    public func endAssignment(debtorID: String, township: String, by user: UUID, audit: AuditEntry, now: Date) async throws -> Bool {
        try await database.transaction { db in
            guard
                try await Self.assignments(" AND a.debtor_id = \(bind: debtorID) AND a.township_code = \(bind: township)", on: db).first
                    != nil
            else {
                return false
            }
            try await db.raw(
                """
                UPDATE debtor_assignments SET ended_at = \(bind: now), ended_by = \(bind: user.databaseText)
                WHERE debtor_id = \(bind: debtorID) AND township_code = \(bind: township) AND ended_at IS NULL
                """
            ).run()
            try await AuditLogRepository().append(audit, on: db)
            return true
        }
    }

    /// The debtor's standing assignments.
    public func assignments(debtorID: String) async throws -> [DebtorAssignment] {
        try await Self.assignments(" AND a.debtor_id = \(bind: debtorID)", on: database.sql)
    }

    private static func assignments(_ tail: SQLQueryString, on db: any SQLDatabase) async throws -> [DebtorAssignment] {
        struct Row: Decodable {
            let id: String
            let debtor_id: String
            let township_code: String
            let township_name: String
            let note: String?
            let assigned_by_name: String?
            let assigned_at: Date
        }
        return try await db.raw(
            """
            SELECT a.id, a.debtor_id, a.township_code, t.name AS township_name, a.note, u.display_name AS assigned_by_name, a.assigned_at
            FROM debtor_assignments a JOIN townships t ON t.code = a.township_code LEFT JOIN users u ON u.id = a.assigned_by
            WHERE a.ended_at IS NULL
            """ + tail + " ORDER BY a.assigned_at, a.id"
        ).all(decoding: Row.self).map {
            DebtorAssignment(
                id: try Stored.uuid($0.id, "debtor_assignments.id"),
                debtorID: try Stored.uuid($0.debtor_id, "debtor_assignments.debtor_id"), townshipCode: $0.township_code,
                township: $0.township_name, note: $0.note,
                assignedBy: $0.assigned_by_name, assignedAt: $0.assigned_at)
        }
    }

    // MARK: The network and its figures

    /// The townships (all, or the one given), each with villages, liaisons and figures.
    public func townships(_ only: String? = nil) async throws -> [TownshipNetwork] {
        struct T: Decodable {
            let code: String
            let name: String
        }
        var query: SQLQueryString = "SELECT code, name FROM townships"
        if let only { query = query + " WHERE code = \(bind: only)" }
        let townships = try await database.sql.raw(query + " ORDER BY code").all(decoding: T.self)
        guard !townships.isEmpty else { return [] }
        struct V: Decodable {
            let id: String
            let township_code: String
            let name: String
        }
        let villages = Dictionary(
            grouping: try await database.sql.raw(
                """
                SELECT id, township_code, name FROM villages WHERE township_code IN (\(binds: townships.map(\.code))) ORDER BY name
                """
            ).all(decoding: V.self), by: \.township_code)
        struct M: Decodable {
            let id: String
            let display_name: String
            let liaison_kind: String?
            let township_code: String
            let village_id: String?
            let village_name: String?
            let is_disabled: Bool
        }
        let members = try await database.sql.raw(
            """
            SELECT u.id, u.display_name, u.liaison_kind, u.township_code, u.village_id, v.name AS village_name, u.is_disabled
            FROM users u LEFT JOIN villages v ON v.id = u.village_id
            WHERE u.role = 'liaison' AND u.township_code IN (\(binds: townships.map(\.code)))
            ORDER BY u.liaison_kind, v.name, u.display_name
            """
        ).all(decoding: M.self)
        let byMember = try await figures(groupedBy: "liaison")
        let byTownship = try await figures(groupedBy: "township")
        return try townships.map { township in
            TownshipNetwork(
                code: township.code, name: township.name,
                villages: (villages[township.code] ?? []).map { Village(id: $0.id, townshipCode: $0.township_code, name: $0.name) },
                members: try members.filter { $0.township_code == township.code }.map { member in
                    // a liaison created before kinds existed is a commissioner (执行专员)
                    let kind = member.liaison_kind.flatMap(LiaisonKind.init(rawValue:)) ?? .commissioner
                    return NetworkMember(
                        id: try Stored.uuid(member.id, "users.id"), displayName: member.display_name, kind: kind,
                        villageID: member.village_id, village: member.village_name, disabled: member.is_disabled,
                        figures: byMember[member.id] ?? NetworkFigures())
                },
                figures: byTownship[township.code] ?? NetworkFigures())
        }
    }

    /// Figures per liaison (user id) or per township (code). A visit by court staff counts for
    /// nobody's township.
    func figures(groupedBy: String, debtorsOfBatch batchID: String? = nil, asOf: CalendarDate? = nil) async throws -> [String:
        NetworkFigures]
    {
        let leadKey = groupedBy == "liaison" ? "l.liaison_id" : "l.township_code"
        let visitKey = groupedBy == "liaison" ? "v.submitted_by" : "v.township_code"
        var leadFilter: SQLQueryString = ""
        var visitFilter: SQLQueryString = ""
        if let batchID {
            leadFilter =
                " WHERE l.debtor_id IN (SELECT cd.debtor_id FROM case_debtors cd JOIN batch_cases bc ON bc.case_id = cd.case_id WHERE bc.batch_id = \(bind: batchID))"
            visitFilter =
                " AND v.debtor_id IN (SELECT cd.debtor_id FROM case_debtors cd JOIN batch_cases bc ON bc.case_id = cd.case_id WHERE bc.batch_id = \(bind: batchID))"
        }
        if let asOf {
            // Up to the end of `asOf` in China Standard Time.
            let end = asOf.adding(days: 1).start
            leadFilter = leadFilter + (batchID == nil ? " WHERE" : " AND") + " l.received_at < \(bind: end)"
            visitFilter = visitFilter + " AND v.visited_on <= \(bind: asOf.description)"
        }
        struct L: Decodable {
            let group_key: String
            let submitted: Int
            let verified: Int
            let recovered: Int
        }
        let leads = try await database.sql.raw(
            """
            SELECT \(unsafeRaw: leadKey) AS group_key, COUNT(*) AS submitted,
                   SUM(CASE WHEN l.status = 'verified' THEN 1 ELSE 0 END) AS verified,
                   SUM(CASE WHEN l.status = 'verified' AND l.outcome_kind = 'payment' THEN 1 ELSE 0 END) AS recovered
            FROM leads l
            """ + leadFilter + " GROUP BY \(unsafeRaw: leadKey)"
        ).all(decoding: L.self)
        struct V: Decodable {
            let group_key: String
            let visits: Int
        }
        let visits = try await database.sql.raw(
            """
            SELECT \(unsafeRaw: visitKey) AS group_key, COUNT(*) AS visits FROM visits v WHERE \(unsafeRaw: visitKey) IS NOT NULL
            """ + visitFilter + " GROUP BY \(unsafeRaw: visitKey)"
        ).all(decoding: V.self)
        var result: [String: NetworkFigures] = [:]
        for row in leads {
            result[row.group_key, default: NetworkFigures()].leadsSubmitted = row.submitted
            result[row.group_key, default: NetworkFigures()].leadsVerified = row.verified
            result[row.group_key, default: NetworkFigures()].leadsLeadingToRecovery = row.recovered
        }
        for row in visits { result[row.group_key, default: NetworkFigures()].visits = row.visits }
        return result
    }

    /// Per township (by name), the network's figures on the debtors of one batch's cases: for the
    /// batch's progress.
    public func batchFigures(batchID: String, asOf: CalendarDate) async throws -> [(township: String, figures: NetworkFigures)] {
        let figures = try await figures(groupedBy: "township", debtorsOfBatch: batchID, asOf: asOf)
        guard !figures.isEmpty else { return [] }
        struct T: Decodable {
            let code: String
            let name: String
        }
        let names = try await database.sql.raw("SELECT code, name FROM townships WHERE code IN (\(binds: Array(figures.keys)))").all(
            decoding: T.self)
        return names.sorted { $0.code < $1.code }.map { ($0.name, figures[$0.code]!) }
    }
}

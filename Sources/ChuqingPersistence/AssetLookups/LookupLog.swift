import ChuqingDomain
import Foundation
import SQLKit

/// The look-up log that auditors and the director search (法释〔2013〕20号: queries only by
/// authorised officers, on obligors, for enforcement; rules.md §4's log schema: case, debtor,
/// legal basis, operator, approver, time, source, result digest, and whether the applicant was
/// told). Findings themselves are not in the log's rows; each row opens the look-up.
public struct LookupLogFilter: Sendable, Equatable {
    public var caseNumber: CaseNumber?
    /// The debtor's exact name, or exact ID number.
    public var debtorName: String?
    public var idNumber: String?
    /// Who started it (username); periodic look-ups have no operator.
    public var operatorUsername: String?
    public var status: AssetLookup.Status?
    public var purpose: AssetLookup.Purpose?
    /// Started on or after the start of `from`, and before the end of `to` (China Standard Time).
    public var from: CalendarDate?
    public var to: CalendarDate?
    /// Completed look-ups whose applicant was (true) or was not yet (false) told.
    public var applicantTold: Bool?

    public init() {}
}

/// One row of the log.
public struct LookupLogEntry: Sendable, Equatable {
    public let id: UUID
    public let caseID: UUID
    public let caseNumber: String
    public let debtorName: String
    /// Masked as published (3607321980****1236): the log is for checking who asked about whom,
    /// and the look-up itself shows the full number to those who may read it.
    public let debtorIdNumber: String
    public let legalBasis: String
    public let purpose: AssetLookup.Purpose
    public let status: AssetLookup.Status
    public let requestedBy: String?
    public let requestedAt: Date
    public let approvedBy: String?
    public let approvedAt: Date?
    public let finishedAt: Date?
    public let categories: Int
    public let answered: Int
    public let failed: Int
    public let timedOut: Int
    public let findings: Int
    public let applicantToldOn: CalendarDate?
}

extension AssetLookupRepository {
    /// The log newest first, `limit` at most, after `cursor` (the last row's id of the previous page).
    public func log(_ filter: LookupLogFilter, limit: Int, after cursor: String?) async throws -> (
        items: [LookupLogEntry], nextCursor: String?
    ) {
        var conditions: [SQLQueryString] = []
        if let number = filter.caseNumber { conditions.append("c.case_number = \(bind: number.canonical)") }
        if let name = filter.debtorName { conditions.append("d.name = \(bind: name)") }
        if let idNumber = filter.idNumber { conditions.append("d.id_number = \(bind: idNumber.uppercased())") }
        if let username = filter.operatorUsername { conditions.append("u.username = \(bind: username.lowercased())") }
        if let status = filter.status { conditions.append("l.status = \(bind: status.rawValue)") }
        if let purpose = filter.purpose { conditions.append("l.purpose = \(bind: purpose.rawValue)") }
        if let from = filter.from { conditions.append("l.requested_at >= \(bind: from.start)") }
        if let to = filter.to { conditions.append("l.requested_at < \(bind: to.adding(days: 1).start)") }
        switch filter.applicantTold {
        case true?: conditions.append("l.applicant_told_on IS NOT NULL")
        case false?: conditions.append("l.status = 'completed' AND l.applicant_told_on IS NULL")
        case nil: break
        }
        if let cursor {
            guard let id = UUID(uuidString: cursor)?.databaseText else {
                throw DomainError(code: "invalid_cursor", message: "cursor 无效：请使用上一页返回的 nextCursor", field: "cursor")
            }
            // The cursor row's own stored instant (see AuditLogRepository.recent).
            conditions.append(
                """
                (l.requested_at < (SELECT requested_at FROM asset_lookups WHERE id = \(bind: id))
                 OR (l.requested_at = (SELECT requested_at FROM asset_lookups WHERE id = \(bind: id)) AND l.id < \(bind: id)))
                """)
        }
        var query: SQLQueryString = """
            SELECT l.id, l.case_id, c.case_number, d.name AS debtor_name, d.id_number, d.kind AS debtor_kind, l.legal_basis, l.purpose, l.status,
                   u.display_name AS requested_by_name, l.requested_at, a.display_name AS approved_by_name, l.approved_at, l.finished_at,
                   l.applicant_told_on,
                   (SELECT COUNT(*) FROM asset_lookup_answers x WHERE x.lookup_id = l.id) AS categories,
                   (SELECT COUNT(*) FROM asset_lookup_answers x WHERE x.lookup_id = l.id AND x.status = 'answered') AS answered,
                   (SELECT COUNT(*) FROM asset_lookup_answers x WHERE x.lookup_id = l.id AND x.status = 'failed') AS failed,
                   (SELECT COUNT(*) FROM asset_lookup_answers x WHERE x.lookup_id = l.id AND x.status = 'timedOut') AS timed_out,
                   (SELECT COUNT(*) FROM asset_findings f WHERE f.lookup_id = l.id) AS findings
            FROM asset_lookups l JOIN enforcement_cases c ON c.id = l.case_id JOIN debtors d ON d.id = l.debtor_id
            LEFT JOIN users u ON u.id = l.requested_by LEFT JOIN users a ON a.id = l.approved_by
            """
        if !conditions.isEmpty { query = query + " WHERE " + conditions.joined(separator: " AND ") }
        query = query + " ORDER BY l.requested_at DESC, l.id DESC LIMIT \(literal: max(1, min(limit, 500)) + 1)"
        struct Row: Decodable {
            let id: String
            let case_id: String
            let case_number: String
            let debtor_name: String
            let id_number: String
            let debtor_kind: String
            let legal_basis: String
            let purpose: String
            let status: String
            let requested_by_name: String?
            let requested_at: Date
            let approved_by_name: String?
            let approved_at: Date?
            let finished_at: Date?
            let applicant_told_on: String?
            let categories: Int
            let answered: Int
            let failed: Int
            let timed_out: Int
            let findings: Int
        }
        var rows = try await database.sql.raw(query).all(decoding: Row.self)
        let hasMore = rows.count > max(1, min(limit, 500))
        if hasMore { rows.removeLast() }
        let items = try rows.map { row in
            let masked =
                (try? DebtorIdentifier.parse(
                    row.id_number, kind: DebtorKind(rawValue: row.debtor_kind) ?? .person,
                    today: CalendarDate(dayOf: Date())
                ).published) ?? row.id_number
            return LookupLogEntry(
                id: try Stored.uuid(row.id, "asset_lookups.id"), caseID: try Stored.uuid(row.case_id, "asset_lookups.case_id"),
                caseNumber: row.case_number, debtorName: row.debtor_name, debtorIdNumber: masked, legalBasis: row.legal_basis,
                purpose: try Stored.value(row.purpose, "asset_lookups.purpose"),
                status: try Stored.value(row.status, "asset_lookups.status"),
                requestedBy: row.requested_by_name,
                requestedAt: row.requested_at,
                approvedBy: row.approved_by_name, approvedAt: row.approved_at, finishedAt: row.finished_at, categories: row.categories,
                answered: row.answered, failed: row.failed, timedOut: row.timed_out, findings: row.findings,
                applicantToldOn: try row.applicant_told_on.map { try Stored.date($0, "asset_lookups.applicant_told_on") })
        }
        return (items, hasMore ? rows.last?.id : nil)
    }
}

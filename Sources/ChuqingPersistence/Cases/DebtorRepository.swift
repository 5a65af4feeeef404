import ChuqingDomain
import Crypto
import Foundation
import SQLKit

/// A debtor and every case they are in.
public struct DebtorDetail: Sendable, Equatable {
    public let id: UUID
    public let kind: DebtorKind
    public let name: String
    public let idNumber: String
    /// `citizenID`, `creditCode` or `organizationCode` (`DebtorIdentifier.typeName`).
    public let idType: String
    public let legalRepresentative: String?
    public let address: String?
    public let phone: String?
    public let township: String?
    public let village: String?
    public let isPublicOfficial: Bool
    public let employer: String?
    /// The standings as a public official, the employer and the body above it.
    public let official: OfficialProfile
    public let hasPhoto: Bool
    public let cases: [CaseSummary]
    /// Payments on all of the debtor's cases (that this reader may see), oldest first.
    public let payments: [CaseEvent<CaseDetail.Payment>]
    /// The history of all of the debtor's cases, oldest first.
    public let history: [CaseEvent<CaseDetail.HistoryEntry>]
}

/// Something that happened on one of a debtor's cases, with the case it belongs to.
public struct CaseEvent<Event: Sendable & Equatable>: Sendable, Equatable {
    public let caseID: UUID
    public let caseNumber: CaseNumber
    public let event: Event
}

/// Debtors, found by name or ID number; one debtor can be in many cases.
public struct DebtorRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Debtors matching `name` and/or `idNumber` (exact), by name then id, limited; judges see only
    /// debtors of their own cases.
    public func search(name: String?, idNumber: String?, visibleToJudge: UUID?, limit: Int, after cursor: String?) async throws -> (
        items: [DebtorSummary], nextCursor: String?
    ) {
        var conditions: [SQLQueryString] = []
        if let name { conditions.append("d.name = \(bind: name)") }
        if let idNumber { conditions.append("d.id_number = \(bind: idNumber)") }
        if let judge = visibleToJudge {
            conditions.append(
                """
                EXISTS (SELECT 1 FROM case_debtors cd JOIN enforcement_cases c ON c.id = cd.case_id
                        WHERE cd.debtor_id = d.id AND c.judge_id = \(bind: judge.databaseText))
                """)
        }
        if let cursor { conditions.append("d.id > \(bind: cursor)") }
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: DebtorSummaryColumns.select) FROM debtors d LEFT JOIN townships t ON t.code = d.township_code
            """
        if !conditions.isEmpty { query += " WHERE " + conditions.joined(separator: " AND ") }
        query += " ORDER BY d.id LIMIT \(literal: limit + 1)"
        var rows = try await database.sql.raw(query).all(decoding: DebtorSummaryColumns.self)
        let more = rows.count > limit
        if more { rows.removeLast() }
        return (try rows.map { try $0.summary() }, more ? rows.last?.id : nil)
    }

    /// The debtor with this id and all their cases (those a judge may see, for a judge).
    public func detail(id: String, visibleToJudge: UUID?) async throws -> DebtorDetail? {
        struct Row: Decodable {
            let id: String
            let kind: String
            let name: String
            let id_number: String
            let id_type: String
            let legal_representative: String?
            let address: String?
            let phone: String?
            let township_name: String?
            let is_public_official: Bool
            let employer: String?
            let village: String?
            let has_photo: Bool
        }
        guard
            let row = try await database.sql.raw(
                """
                SELECT d.id, d.kind, d.name, d.id_number, d.id_type, d.legal_representative, d.address, d.phone, t.name AS township_name,
                       d.is_public_official, d.employer, d.village,
                       EXISTS (SELECT 1 FROM debtor_photos p WHERE p.debtor_id = d.id) AS has_photo
                FROM debtors d LEFT JOIN townships t ON t.code = d.township_code WHERE d.id = \(bind: id)
                """
            ).first(decoding: Row.self)
        else { return nil }
        struct CaseRow: Decodable { let case_id: String }
        var caseIDs = try await database.sql.raw("SELECT case_id FROM case_debtors WHERE debtor_id = \(bind: id)").all(
            decoding: CaseRow.self
        ).map(\.case_id)
        let cases = CaseRepository(database: database)
        var summaries: [CaseSummary] = []
        var payments: [CaseEvent<CaseDetail.Payment>] = []
        var history: [CaseEvent<CaseDetail.HistoryEntry>] = []
        caseIDs.sort()
        for caseID in caseIDs {
            guard let detail = try await cases.detail(id: caseID) else { continue }
            if let judge = visibleToJudge, detail.judgeID != judge { continue }
            summaries.append(detail.summary)
            let (id, number) = (detail.summary.id, detail.summary.caseNumber)
            payments += detail.payments.map { CaseEvent(caseID: id, caseNumber: number, event: $0) }
            history += detail.history.map { CaseEvent(caseID: id, caseNumber: number, event: $0) }
        }
        if visibleToJudge != nil && summaries.isEmpty { return nil }
        return DebtorDetail(
            id: try Stored.uuid(row.id, "debtors.id"), kind: try Stored.value(row.kind, "debtors.kind"), name: row.name,
            idNumber: row.id_number, idType: row.id_type,
            legalRepresentative: row.legal_representative, address: row.address, phone: row.phone, township: row.township_name,
            village: row.village, isPublicOfficial: row.is_public_official, employer: row.employer,
            official: try await OfficialRepository.profiles(debtorIDs: [row.id], on: database.sql)[row.id] ?? .none,
            hasPhoto: row.has_photo,
            cases: summaries.sorted { $0.filedOn > $1.filedOn },
            payments: payments.sorted {
                ($0.event.receivedOn, $0.event.id.uuidString.lowercased()) < ($1.event.receivedOn, $1.event.id.uuidString.lowercased())
            },
            history: history.sorted { $0.event.occurredAt < $1.event.occurredAt })
    }

    /// Stores `photo` as the debtor's photo, replacing any earlier one.
    public func setPhoto(debtorID: String, _ photo: DebtorPhoto, uploadedBy: UUID, audit: AuditEntry, now: Date) async throws {
        let digest = Digest.sha256Hex(photo.bytes)
        try await database.transaction { db in
            try await db.raw("DELETE FROM debtor_photos WHERE debtor_id = \(bind: debtorID)").run()
            try await db.raw(
                """
                INSERT INTO debtor_photos (debtor_id, content_type, bytes, sha256, uploaded_by, uploaded_at)
                VALUES (\(bind: debtorID), \(bind: photo.contentType), \(bind: photo.bytes), \(bind: digest),
                        \(bind: uploadedBy.databaseText), \(bind: now))
                """
            ).run()
            try await AuditLogRepository().append(audit, on: db)
        }
    }

    /// The debtor's photo and its content type, if one was uploaded.
    public func photo(debtorID: String) async throws -> (contentType: String, bytes: Data)? {
        struct Row: Decodable {
            let content_type: String
            let bytes: Data
        }
        return try await database.sql.raw("SELECT content_type, bytes FROM debtor_photos WHERE debtor_id = \(bind: debtorID)")
            .first(decoding: Row.self).map { ($0.content_type, $0.bytes) }
    }
}

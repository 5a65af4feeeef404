import ChuqingDomain
import Foundation
import SQLKit

/// The reads `chuqing demo load` needs to pick the records its story is told with: 终本 debtors
/// for the extract and the list, a judge's debtor outside the liaisons' township, a batch's cases.
/// Only the demo loader uses these; they live here because SQL lives in persistence.
public struct DemoSeedQueries: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// A debtor of a 终本 case: name and ID number.
    public struct Debtor: Sendable, Decodable {
        public let name: String
        public let id_number: String
    }

    /// The debtors of 终本 cases, by case number, `limit` at most.
    public func terminatedDebtors(limit: Int) async throws -> [Debtor] {
        try await database.sql.raw(
            """
            SELECT d.name, d.id_number FROM debtors d JOIN case_debtors cd ON cd.debtor_id = d.id JOIN enforcement_cases c ON c.id = cd.case_id
            WHERE c.status = 'terminatedThisRound' ORDER BY c.case_number, d.id_number LIMIT \(literal: limit)
            """
        ).all(decoding: Debtor.self)
    }

    /// A person debtor of one of `judge`'s 终本 cases who lives outside `township`.
    public func debtorOutside(township: String, ofJudge judge: UUID) async throws -> String? {
        struct Row: Decodable { let id: String }
        return try await database.sql.raw(
            """
            SELECT d.id FROM debtors d JOIN case_debtors cd ON cd.debtor_id = d.id JOIN enforcement_cases c ON c.id = cd.case_id
            WHERE c.judge_id = \(bind: judge.databaseText) AND d.township_code <> \(bind: township) AND d.kind = 'person'
              AND c.status = 'terminatedThisRound'
            ORDER BY c.case_number LIMIT 1
            """
        ).first(decoding: Row.self)?.id
    }

    /// A person who is the first debtor of a 终本 case of `courtCode` not yet resumed.
    public struct ListablePerson: Sendable, Decodable {
        public let case_id: String
        public let debtor_id: String
        public let id_number: String
        public let filed_on: String
        public let unperformed: Int64
    }

    /// The persons who could be listed, by case number, `limit` at most.
    public func listablePersons(courtCode: String, limit: Int) async throws -> [ListablePerson] {
        try await database.sql.raw(
            """
            SELECT c.id AS case_id, d.id AS debtor_id, d.id_number, c.filed_on,
                   c.target_fen - \(CaseRepository.performed()) AS unperformed
            FROM enforcement_cases c JOIN case_debtors cd ON cd.case_id = c.id AND cd.position = 0 JOIN debtors d ON d.id = cd.debtor_id
            WHERE c.status = 'terminatedThisRound' AND c.court_code = \(bind: courtCode) AND d.kind = 'person'
              AND NOT EXISTS (SELECT 1 FROM enforcement_cases s WHERE s.resumed_from_id = c.id)
            ORDER BY c.case_number LIMIT \(literal: limit)
            """
        ).all(decoding: ListablePerson.self)
    }

    /// A case of a batch, with what the export left unpaid.
    public struct BatchMember: Sendable, Decodable {
        public let case_id: String
        public let judge_id: String?
        public let filed_on: String
        public let unperformed: Int64
        /// The case's first debtor, whom a demo detention names.
        public let debtor_id: String
        public let debtor_kind: String
        public let debtor_name: String
    }

    /// The cases of batch `batchID`, by case number.
    public func members(batchID: String) async throws -> [BatchMember] {
        try await database.sql.raw(
            """
            SELECT bc.case_id, c.judge_id, c.filed_on, c.target_fen - c.imported_performed_fen AS unperformed,
                   d.id AS debtor_id, d.kind AS debtor_kind, d.name AS debtor_name
            FROM batch_cases bc JOIN enforcement_cases c ON c.id = bc.case_id
            JOIN case_debtors cd ON cd.case_id = c.id AND cd.position = (SELECT MIN(position) FROM case_debtors x WHERE x.case_id = c.id)
            JOIN debtors d ON d.id = cd.debtor_id
            WHERE bc.batch_id = \(bind: batchID) ORDER BY c.case_number
            """
        ).all(decoding: BatchMember.self)
    }
}

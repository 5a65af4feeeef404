import ChuqingDomain
import Foundation
import SQLKit

/// A case on a work list.
public struct WorkItem: Sendable, Equatable {
    public let caseID: String
    public let caseNumber: String
    public let batchName: String
    /// The last payment, measure, status change or resumption on the case or its 执恢 successors;
    /// the day it joined the batch when there was none.
    public let lastAction: Date
}

/// Something recorded on a case today.
public struct TodayItem: Sendable, Equatable {
    public let caseID: String
    public let caseNumber: String
    public let occurredAt: Date
    public let actor: String?
    public let detail: String
}

extension ClearanceRepository {
    /// The events that count as work on a case.
    static let actionEvents = ["payment", "measure", "transition", "resume"]

    /// Cases of `judgeID` (all judges when nil) in open batches, not cleared, with no action
    /// since `since`: the oldest first.
    public func idleCases(judgeID: UUID?, since: Date, limit: Int = 50) async throws -> [WorkItem] {
        let judgeCondition: SQLQueryString = judgeID.map { "AND c.judge_id = \(bind: $0.databaseText)" } ?? ""
        struct Row: Decodable {
            let root_id: String
            let case_number: String
            let batch_name: String
            let added_at: Date
            let last_action: Date?
            let cleared: Int
        }
        let rows = try await database.sql.raw(
            """
            WITH RECURSIVE chain (root_id, id) AS (
                SELECT bc.case_id, bc.case_id FROM batch_cases bc JOIN enforcement_cases c ON c.id = bc.case_id
                WHERE bc.open_case_id IS NOT NULL \(judgeCondition)
                UNION ALL
                SELECT chain.root_id, c.id FROM chain JOIN enforcement_cases c ON c.resumed_from_id = chain.id
            )
            SELECT chain.root_id, root.case_number, b.name AS batch_name, bc.added_at,
                   MAX(h.occurred_at) AS last_action,
                   MAX(CASE WHEN member.status IN (\(binds: Clearance.clearingStatuses.map(\.rawValue).sorted())) THEN 1 ELSE 0 END) AS cleared
            FROM chain
            JOIN enforcement_cases member ON member.id = chain.id
            JOIN enforcement_cases root ON root.id = chain.root_id
            JOIN batch_cases bc ON bc.open_case_id = chain.root_id
            JOIN clearance_batches b ON b.id = bc.batch_id
            LEFT JOIN case_history h ON h.case_id = chain.id AND h.event IN (\(binds: Self.actionEvents))
            GROUP BY chain.root_id, root.case_number, b.name, bc.added_at
            """
        ).all(decoding: Row.self)
        return rows.filter { $0.cleared == 0 }
            .map {
                WorkItem(
                    caseID: $0.root_id, caseNumber: $0.case_number, batchName: $0.batch_name, lastAction: $0.last_action ?? $0.added_at)
            }
            .filter { $0.lastAction < since }
            .sorted { $0.lastAction < $1.lastAction }
            .prefix(limit).map { $0 }
    }

    /// Payments and measures recorded since `start` on cases of `judgeID` (all when nil), newest first.
    public func recordedSince(_ start: Date, judgeID: UUID?, limit: Int = 50) async throws -> [TodayItem] {
        let judgeCondition: SQLQueryString = judgeID.map { "AND c.judge_id = \(bind: $0.databaseText)" } ?? ""
        struct Row: Decodable {
            let case_id: String
            let case_number: String
            let occurred_at: Date
            let actor_username: String?
            let detail: String
        }
        return try await database.sql.raw(
            """
            SELECT h.case_id, c.case_number, h.occurred_at, h.actor_username, h.detail
            FROM case_history h JOIN enforcement_cases c ON c.id = h.case_id
            WHERE h.event IN (\(binds: ["payment", "measure"])) AND h.occurred_at >= \(bind: start) \(judgeCondition)
            ORDER BY h.occurred_at DESC LIMIT \(literal: limit)
            """
        ).all(decoding: Row.self).map {
            TodayItem(
                caseID: $0.case_id, caseNumber: $0.case_number, occurredAt: $0.occurred_at, actor: $0.actor_username, detail: $0.detail)
        }
    }
}

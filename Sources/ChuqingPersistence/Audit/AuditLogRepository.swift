import ChuqingDomain
import Foundation
import SQLKit

/// The append-only audit log. There is deliberately no update or delete here.
public protocol AuditLogRepository: Sendable {
    /// Appends an entry; call it with the same transaction as the change it records.
    func append(_ entry: AuditEntry, on db: any SQLDatabase) async throws
    /// Entries newest first, at most `limit`, older than `before` when given (cursor paging).
    func recent(limit: Int, before: Date?, on db: any SQLDatabase) async throws -> [AuditEntry]
}

/// The SQL implementation, the same on SQLite and PostgreSQL.
public struct SQLAuditLogRepository: AuditLogRepository {
    public init() {}

    public func append(_ entry: AuditEntry, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO audit_log (id, occurred_at, actor_id, actor_username, action, entity, entity_id, detail, address, request_id)
            VALUES (\(bind: entry.id.databaseText), \(bind: entry.occurredAt), \(bind: entry.actorID?.databaseText), \(bind: entry.actorUsername),
                    \(bind: entry.action), \(bind: entry.entity), \(bind: entry.entityID), \(bind: entry.detail), \(bind: entry.address), \(bind: entry.requestID))
            """).run()
    }

    public func recent(limit: Int, before: Date?, on db: any SQLDatabase) async throws -> [AuditEntry] {
        struct Row: Decodable {
            let id: String
            let occurred_at: Date
            let actor_id: String?
            let actor_username: String?
            let action: String
            let entity: String
            let entity_id: String?
            let detail: String
            let address: String?
            let request_id: String?
        }
        let limit = max(1, min(limit, 500))
        let query: SQLQueryString = if let before {
            "SELECT * FROM audit_log WHERE occurred_at < \(bind: before) ORDER BY occurred_at DESC, id DESC LIMIT \(literal: limit)"
        } else {
            "SELECT * FROM audit_log ORDER BY occurred_at DESC, id DESC LIMIT \(literal: limit)"
        }
        return try await db.raw(query).all(decoding: Row.self).map { row in
            AuditEntry(
                id: UUID(uuidString: row.id) ?? UUID(),
                occurredAt: row.occurred_at,
                actorID: row.actor_id.flatMap(UUID.init(uuidString:)),
                actorUsername: row.actor_username,
                action: row.action,
                entity: row.entity,
                entityID: row.entity_id,
                detail: row.detail,
                address: row.address,
                requestID: row.request_id
            )
        }
    }
}

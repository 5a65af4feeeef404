import ChuqingDomain
import Foundation
import SQLKit

/// The append-only audit log. There is deliberately no update or delete here.
/// The same SQL on SQLite and PostgreSQL.
public struct AuditLogRepository: Sendable {
    public init() {}

    /// Appends an entry; call it with the same transaction as the change it records.
    public func append(_ entry: AuditEntry, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO audit_log (id, occurred_at, actor_id, actor_username, action, entity, entity_id, detail, address, request_id)
            VALUES (\(bind: entry.id.databaseText), \(bind: entry.occurredAt), \(bind: entry.actorID?.databaseText), \(bind: entry.actorUsername),
                    \(bind: entry.action), \(bind: entry.entity), \(bind: entry.entityID), \(bind: entry.detail), \(bind: entry.address), \(bind: entry.requestID))
            """
        ).run()
    }

    /// Entries newest first, at most `limit`, after the entry `before` in that order when given
    /// (keyset paging on time and id, so entries of the same instant are neither skipped nor repeated).
    public func recent(
        limit: Int, before: AuditCursor?, filter: AuditFilter = AuditFilter(), on db: any SQLDatabase
    ) async throws -> [AuditEntry] {
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
        let limit = max(1, min(limit, 10_000))
        var conditions: [SQLQueryString] = []
        if let before {
            // The cursor row's own stored instant, not one sent back by the client: a decimal text
            // of a timestamp does not round-trip exactly, and a page would then repeat or skip.
            conditions.append(
                """
                (occurred_at < (SELECT occurred_at FROM audit_log WHERE id = \(bind: before.id))
                 OR (occurred_at = (SELECT occurred_at FROM audit_log WHERE id = \(bind: before.id)) AND id < \(bind: before.id)))
                """)
        }
        if let actor = filter.actorID { conditions.append("actor_id = \(bind: actor.databaseText)") }
        if let action = filter.action { conditions.append("action = \(bind: action)") }
        // Days as the court counts them: from midnight in Asia/Shanghai to the next midnight.
        if let from = filter.from { conditions.append("occurred_at >= \(bind: from.start)") }
        if let to = filter.to { conditions.append("occurred_at < \(bind: to.adding(days: 1).start)") }
        var query: SQLQueryString = "SELECT * FROM audit_log"
        if !conditions.isEmpty { query += " WHERE " + conditions.joined(separator: " AND ") }
        query += " ORDER BY occurred_at DESC, id DESC LIMIT \(literal: limit)"
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

/// Which entries of the log to read (issue 16 item 16): who, what, and which days.
public struct AuditFilter: Sendable, Equatable {
    public var actorID: UUID?
    /// An action code (`AuditVocabulary.actions`).
    public var action: String?
    /// The first and last day, inclusive, in Asia/Shanghai.
    public var from: CalendarDate?
    public var to: CalendarDate?

    public init(actorID: UUID? = nil, action: String? = nil, from: CalendarDate? = nil, to: CalendarDate? = nil) {
        self.actorID = actorID
        self.action = action
        self.from = from
        self.to = to
    }
}

/// Where a page of the audit log ends: the id of its last entry (the log is append-only, so that
/// entry is always there to page from).
public struct AuditCursor: Sendable, Equatable {
    public let id: String

    /// The cursor after `entry`.
    public init(after entry: AuditEntry) {
        self.id = entry.id.databaseText
    }

    /// Parses the opaque text form; nil when it is not one.
    public init?(text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        self.id = uuid.databaseText
    }

    /// The opaque text form handed to clients as `nextCursor`.
    public var text: String { id }
}

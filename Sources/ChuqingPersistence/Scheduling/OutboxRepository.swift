import ChuqingDomain
import Foundation
import SQLKit

/// A reminder on its way out of Chuqing through a gateway (issue 17 item 4).
public struct OutboxMessage: Sendable {
    public let id: UUID
    public let inboxItemID: UUID
    public let userID: UUID
    public let channel: MessageChannel
    public let recipient: String
    public let text: String
    /// sent with every attempt: the gateway sends one message per key
    public let idempotencyKey: String
    public let state: OutboxState
    public let gatewayMessageID: String?
    public let reason: String?
    public let createdAt: Date
    public let finishedAt: Date?
}

/// The outbox: one row per reminder and channel, written in the reminder's transaction, marked
/// sent or rejected in its delivery job's.
public struct OutboxRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// A message to deliver. Its idempotency key is its own id: unique, and the same however many
    /// times the delivery is attempted.
    @discardableResult
    public static func add(
        inboxItemID: UUID, userID: UUID, channel: MessageChannel, recipient: String, text: String, now: Date, on db: any SQLDatabase
    ) async throws -> UUID {
        let id = UUID()
        try await db.raw(
            """
            INSERT INTO outbox_messages (id, inbox_item_id, user_id, channel, recipient, text, idempotency_key, state, created_at)
            VALUES (\(bind: id), \(bind: inboxItemID), \(bind: userID), \(bind: channel.rawValue), \(bind: recipient), \(bind: text),
                    \(bind: "chuqing-\(id.databaseText)"), 'pending', \(bind: now))
            """
        ).run()
        return id
    }

    private struct Row: Decodable {
        let id: String
        let inbox_item_id: String
        let user_id: String
        let channel: String
        let recipient: String
        let text: String
        let idempotency_key: String
        let state: String
        let gateway_message_id: String?
        let reason: String?
        let created_at: Date
        let finished_at: Date?

        func message() throws -> OutboxMessage {
            OutboxMessage(
                id: try Stored.uuid(id, "outbox_messages.id"), inboxItemID: try Stored.uuid(inbox_item_id, "outbox_messages.inbox_item_id"),
                userID: try Stored.uuid(user_id, "outbox_messages.user_id"), channel: try Stored.value(channel, "outbox_messages.channel"),
                recipient: recipient, text: text, idempotencyKey: idempotency_key, state: try Stored.value(state, "outbox_messages.state"),
                gatewayMessageID: gateway_message_id, reason: reason, createdAt: created_at, finishedAt: finished_at)
        }
    }

    private static let columns =
        "id, inbox_item_id, user_id, channel, recipient, text, idempotency_key, state, gateway_message_id, reason, created_at, finished_at"

    /// One message.
    public func message(id: UUID, on db: (any SQLDatabase)? = nil) async throws -> OutboxMessage? {
        try await (db ?? database.sql).raw(
            SQLQueryString("SELECT \(unsafeRaw: Self.columns) FROM outbox_messages WHERE id = \(bind: id)")
        ).first(decoding: Row.self).map { try $0.message() }
    }

    /// Records the gateway's answer, once: a message already sent or rejected stays as it was.
    /// Returns whether this call changed it.
    @discardableResult
    public static func finish(
        id: UUID, as state: OutboxState, gatewayMessageID: String?, reason: String?, now: Date, on db: any SQLDatabase
    ) async throws -> Bool {
        struct Row: Decodable { let id: String }
        return try await db.raw(
            """
            UPDATE outbox_messages SET state = \(bind: state.rawValue), gateway_message_id = \(bind: gatewayMessageID),
                reason = \(bind: reason.map { String($0.prefix(500)) }), finished_at = \(bind: now)
            WHERE id = \(bind: id) AND state = 'pending' RETURNING id
            """
        ).first(decoding: Row.self) != nil
    }

    /// How many messages are in each state.
    public func counts() async throws -> [OutboxState: Int] {
        struct Row: Decodable {
            let state: String
            let n: Int
        }
        var counts: [OutboxState: Int] = [:]
        for row in try await database.sql.raw("SELECT state, COUNT(*) AS n FROM outbox_messages GROUP BY state").all(decoding: Row.self) {
            if let state = OutboxState(rawValue: row.state) { counts[state] = row.n }
        }
        return counts
    }

    /// The latest messages (for the admin's page), or those of one inbox item.
    public func messages(inboxItemID: UUID? = nil, limit: Int) async throws -> [OutboxMessage] {
        let filter: SQLQueryString = inboxItemID.map { " WHERE inbox_item_id = \(bind: $0)" } ?? ""
        return try await database.sql.raw(
            "SELECT \(unsafeRaw: Self.columns) FROM outbox_messages" + filter + " ORDER BY created_at DESC, id LIMIT \(literal: limit)"
        ).all(decoding: Row.self).map { try $0.message() }
    }
}

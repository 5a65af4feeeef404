import ChuqingDomain
import Foundation
import SQLKit

/// A reminder in a person's inbox (issue 17).
public struct InboxItem: Sendable {
    public let id: UUID
    public let userID: UUID
    public let kind: String
    public let title: String
    public let body: String
    public let link: String?
    public let dueOn: CalendarDate?
    public let createdAt: Date
    public let readAt: Date?
}

/// What a job leaves in someone's inbox.
public struct NewReminder: Sendable {
    public let userID: UUID
    public let kind: String
    public let title: String
    public let body: String
    public let link: String?
    public let dueOn: CalendarDate?
    /// one reminder per key: the subject and the day it is about
    public let dedupeKey: String

    public init(userID: UUID, kind: String, title: String, body: String, link: String?, dueOn: CalendarDate?, dedupeKey: String) {
        self.userID = userID
        self.kind = kind
        self.title = title
        self.body = body
        self.link = link
        self.dueOn = dueOn
        self.dedupeKey = dedupeKey
    }
}

/// The reminders, each its user's alone.
public struct InboxRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Adds `reminder` unless one with its key exists (a job that runs again reminds no one twice).
    /// Returns the new item's id, nil when it existed.
    @discardableResult
    public func add(_ reminder: NewReminder, now: Date) async throws -> UUID? {
        struct Inserted: Decodable { let id: String }
        let id = UUID()
        let row = try await database.sql.raw(
            """
            INSERT INTO inbox_items (id, user_id, kind, title, body, link, due_on, created_at, dedupe_key)
            VALUES (\(bind: id), \(bind: reminder.userID), \(bind: reminder.kind), \(bind: reminder.title), \(bind: reminder.body),
                    \(bind: reminder.link), \(bind: reminder.dueOn), \(bind: now), \(bind: reminder.dedupeKey))
            ON CONFLICT (dedupe_key) DO NOTHING RETURNING id
            """
        ).first(decoding: Inserted.self)
        return row == nil ? nil : id
    }

    private struct Row: Decodable {
        let id: String
        let user_id: String
        let kind: String
        let title: String
        let body: String
        let link: String?
        let due_on: String?
        let created_at: Date
        let read_at: Date?

        func item() throws -> InboxItem {
            InboxItem(
                id: try Stored.uuid(id, "inbox_items.id"), userID: try Stored.uuid(user_id, "inbox_items.user_id"), kind: kind,
                title: title, body: body, link: link, dueOn: try due_on.map { try Stored.date($0, "inbox_items.due_on") },
                createdAt: created_at, readAt: read_at)
        }
    }

    /// A page of `userID`'s reminders, the newest first, and how many there are.
    public func items(userID: UUID, unreadOnly: Bool, limit: Int, offset: Int) async throws -> (items: [InboxItem], total: Int) {
        var filter: SQLQueryString = " WHERE user_id = \(bind: userID)"
        if unreadOnly { filter = filter + " AND read_at IS NULL" }
        let items = try await database.sql.raw(
            "SELECT id, user_id, kind, title, body, link, due_on, created_at, read_at FROM inbox_items" + filter
                + " ORDER BY created_at DESC, id LIMIT \(literal: limit) OFFSET \(literal: offset)"
        ).all(decoding: Row.self).map { try $0.item() }
        struct Count: Decodable { let n: Int }
        let total = try await database.sql.raw("SELECT COUNT(*) AS n FROM inbox_items" + filter).first(decoding: Count.self)?.n ?? 0
        return (items, total)
    }

    /// How many of `userID`'s reminders are unread (the navigation's badge).
    public func unreadCount(userID: UUID) async throws -> Int {
        struct Count: Decodable { let n: Int }
        return try await database.sql.raw(
            "SELECT COUNT(*) AS n FROM inbox_items WHERE user_id = \(bind: userID) AND read_at IS NULL"
        ).first(decoding: Count.self)?.n ?? 0
    }

    /// Marks `userID`'s reminder `id` read (again: nothing changes); nil if it is not theirs.
    public func markRead(id: UUID, userID: UUID, now: Date) async throws -> InboxItem? {
        try await database.sql.raw(
            "UPDATE inbox_items SET read_at = COALESCE(read_at, \(bind: now)) WHERE id = \(bind: id) AND user_id = \(bind: userID)"
        ).run()
        return try await database.sql.raw(
            """
            SELECT id, user_id, kind, title, body, link, due_on, created_at, read_at FROM inbox_items
            WHERE id = \(bind: id) AND user_id = \(bind: userID)
            """
        ).first(decoding: Row.self).map { try $0.item() }
    }
}

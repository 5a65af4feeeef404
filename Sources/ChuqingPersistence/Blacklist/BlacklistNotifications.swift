import ChuqingDomain
import Foundation
import SQLKit

/// Builds a notification document from a `ListNotification` (the server passes the XML builder
/// that also validates it against its XSD).
public typealias NotificationRenderer = @Sendable (ListNotification) throws -> String

/// A stored notification (法释〔2017〕7号 art. 8).
public struct StoredNotification: Sendable, Equatable {
    public let id: UUID
    public let entryID: UUID
    public let event: ListNotificationEvent
    public let recipientKind: String
    public let recipient: String
    public let debtorName: String
    public let caseNumber: String
    public let createdAt: Date
}

/// The notifications produced when an entry is listed, deleted or revoked: written in the same
/// transaction as the change, one per recipient, and listed for the court to send.
public struct BlacklistNotifications: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Produces and stores the notifications of `event` on `entryID`, dated `date`.
    static func write(
        entryID: String, event: ListNotificationEvent, date: CalendarDate, now: Date, on db: any SQLDatabase,
        render: NotificationRenderer
    ) async throws {
        struct Row: Decodable {
            let court_name: String
            let court_code: String
            let name: String
            let kind: String
            let id_number: String
            let is_public_official: Bool
            let employer: String?
            let case_number: String
            let decision_number: String
            let decided_on: String
            let circumstances: String
            let expires_on: String?
            let deleted_on: String?
            let deletion_trigger: String?
            let removal_reason: String?
        }
        guard
            let row = try await db.raw(
                """
                SELECT ct.name AS court_name, ct.code AS court_code, d.name, d.kind, d.id_number, d.is_public_official, d.employer, c.case_number,
                       e.decision_number, e.decided_on, e.circumstances, e.expires_on, e.deleted_on, e.deletion_trigger, e.removal_reason
                FROM blacklist_entries e JOIN enforcement_cases c ON c.id = e.case_id JOIN courts ct ON ct.code = c.court_code
                JOIN debtors d ON d.id = e.debtor_id
                WHERE e.id = \(bind: entryID)
                """
            ).first(decoding: Row.self)
        else { return }
        // A deletion or revocation withdraws what was sent: an entry whose listing never left the
        // court (removed within its grace period) has nothing to withdraw.
        if event != .listed {
            struct N: Decodable { let n: Int }
            let sent =
                try await db.raw(
                    "SELECT COUNT(*) AS n FROM blacklist_notifications WHERE entry_id = \(bind: entryID) AND event = 'listed'"
                ).first(decoding: N.self)?.n ?? 0
            guard sent > 0 else { return }
        }
        let reason = row.removal_reason ?? row.deletion_trigger.flatMap(DeletionTrigger.init(rawValue:))?.chinese
        var rows: [[any Encodable & Sendable]] = []
        for recipient in ListNotification.recipients(isPublicOfficial: row.is_public_official, employer: row.employer) {
            let id = UUID().databaseText
            let notification = ListNotification(
                id: id, event: event, recipientKind: recipient.kind, recipient: recipient.name, courtName: row.court_name,
                courtCode: row.court_code, date: date, debtorName: row.name, debtorKind: try DebtorKind.parse(row.kind),
                idNumber: row.id_number,
                caseNumber: row.case_number, decisionNumber: row.decision_number, decidedOn: try CalendarDate.parse(row.decided_on),
                circumstances: row.circumstances.split(separator: ",").compactMap {
                    Int($0).flatMap(DishonestyCircumstance.init(rawValue:))
                },
                expiresOn: try row.expires_on.map { try CalendarDate.parse($0) }, isPublicOfficial: row.is_public_official,
                removedOn: event == .listed ? nil : try row.deleted_on.map { try CalendarDate.parse($0) },
                removalReason: event == .listed ? nil : reason)
            rows.append([id, entryID, event.rawValue, recipient.kind, recipient.name, try render(notification), now])
        }
        try await MultiRowInsert.run(
            into: "blacklist_notifications",
            columns: ["id", "entry_id", "event", "recipient_kind", "recipient", "xml", "created_at"], rows: rows, on: db)
    }

    /// Produces the listing notifications held by a grace period that has ended by `today`, dated
    /// the day it ended, for entries still on the list (the deadlines issue will run this on a
    /// schedule; until then the readers of the list and its notifications run it). Returns how
    /// many entries were released.
    @discardableResult
    public func releaseHeld(today: CalendarDate, now: Date, render: @escaping NotificationRenderer) async throws -> Int {
        struct Held: Decodable {
            let id: String
            let publishable_from: String
        }
        let held = try await database.sql.raw(
            """
            SELECT e.id, e.publishable_from FROM blacklist_entries e
            WHERE e.removal IS NULL AND e.publishable_from > e.decided_on AND e.publishable_from <= \(bind: today.description)
              AND NOT EXISTS (SELECT 1 FROM blacklist_notifications n WHERE n.entry_id = e.id AND n.event = 'listed')
            """
        ).all(decoding: Held.self)
        for entry in held {
            let day = try Stored.date(entry.publishable_from, "blacklist_entries.publishable_from")
            try await database.transaction { db in
                // another reader may have released it a moment ago
                struct N: Decodable { let n: Int }
                let sent =
                    try await db.raw(
                        "SELECT COUNT(*) AS n FROM blacklist_notifications WHERE entry_id = \(bind: entry.id) AND event = 'listed'"
                    ).first(decoding: N.self)?.n ?? 0
                guard sent == 0 else { return }
                try await Self.write(entryID: entry.id, event: .listed, date: day, now: now, on: db, render: render)
            }
        }
        return held.count
    }

    private struct Row: Decodable {
        let id: String
        let entry_id: String
        let event: String
        let recipient_kind: String
        let recipient: String
        let debtor_name: String
        let case_number: String
        let created_at: Date

        func notification() throws -> StoredNotification {
            StoredNotification(
                id: try Stored.uuid(id, "blacklist_notifications.id"),
                entryID: try Stored.uuid(entry_id, "blacklist_notifications.entry_id"),
                event: try Stored.value(event, "blacklist_notifications.event"), recipientKind: recipient_kind, recipient: recipient,
                debtorName: debtor_name, caseNumber: case_number, createdAt: created_at)
        }
    }

    private static let select = """
        SELECT n.id, n.entry_id, n.event, n.recipient_kind, n.recipient, d.name AS debtor_name, c.case_number, n.created_at
        FROM blacklist_notifications n JOIN blacklist_entries e ON e.id = n.entry_id
        JOIN enforcement_cases c ON c.id = e.case_id JOIN debtors d ON d.id = e.debtor_id
        """

    /// The notifications of one entry, or the newest of all (of this judge's cases, when given).
    public func list(entryID: String? = nil, visibleToJudge judge: UUID? = nil, limit: Int = 200) async throws -> [StoredNotification] {
        var query = SQLQueryString(Self.select) + " WHERE 1 = 1"
        if let entryID { query = query + " AND n.entry_id = \(bind: entryID.lowercased())" }
        if let judge { query = query + " AND c.judge_id = \(bind: judge.databaseText)" }
        return try await database.sql.raw(query + " ORDER BY n.created_at DESC, n.id LIMIT \(literal: limit)")
            .all(decoding: Row.self).map { try $0.notification() }
    }

    /// One notification and its XML.
    public func notification(id: String) async throws -> (StoredNotification, xml: String)? {
        struct Full: Decodable { let xml: String }
        guard
            let row = try await database.sql.raw(SQLQueryString(Self.select) + " WHERE n.id = \(bind: id.lowercased())").first(
                decoding: Row.self),
            let full = try await database.sql.raw("SELECT xml FROM blacklist_notifications WHERE id = \(bind: id.lowercased())")
                .first(decoding: Full.self)
        else { return nil }
        return (try row.notification(), full.xml)
    }
}

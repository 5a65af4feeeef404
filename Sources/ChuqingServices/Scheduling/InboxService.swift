import ChuqingDomain
import ChuqingPersistence
import Foundation

/// A person's reminders (issue 17): each is theirs alone, read or unread.
public struct InboxService: Sendable {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.now = now
    }

    var repository: InboxRepository { InboxRepository(database: database) }

    /// A page of the caller's reminders, the newest first.
    public func items(unreadOnly: Bool, page: Int, perPage: Int = 50, by actor: ActingUser) async throws -> (
        items: [InboxItem], total: Int
    ) {
        let user = try actor.requireUser()
        return try await repository.items(userID: user.id, unreadOnly: unreadOnly, limit: perPage, offset: max(0, page - 1) * perPage)
    }

    /// How many of the caller's reminders are unread (0 for nobody signed in).
    public func unreadCount(by actor: ActingUser) async throws -> Int {
        guard let user = actor.user else { return 0 }
        return try await repository.unreadCount(userID: user.id)
    }

    /// Marks the caller's reminder read; another person's is "not found".
    public func markRead(id: UUID, by actor: ActingUser) async throws -> InboxItem {
        let user = try actor.requireUser()
        guard let item = try await repository.markRead(id: id, userID: user.id, now: now()) else { throw Refusal.notFound }
        return item
    }
}

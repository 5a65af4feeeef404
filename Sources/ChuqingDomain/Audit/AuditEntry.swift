import Foundation

/// One line of the audit log: who did what to which record, when, and from which address.
public struct AuditEntry: Sendable, Equatable, Codable {
    public let id: UUID
    /// When it happened (UTC instant; screens show Asia/Shanghai).
    public let occurredAt: Date
    /// The user who acted; nil for the system itself (migrations, the command line without a user).
    public let actorID: UUID?
    /// The actor's login name at the time, kept even if the user is renamed later.
    public let actorUsername: String?
    /// What was done, a stable dotted verb: `user.create`, `session.login`, `session.login_failed`.
    public let action: String
    /// The kind of record acted on: `user`, `session`, `case`.
    public let entity: String
    /// The record's id, when there is one.
    public let entityID: String?
    /// Short human-readable detail (never a password or token).
    public let detail: String
    /// The client's address.
    public let address: String?
    /// The request id, to find the matching log lines.
    public let requestID: String?

    public init(
        id: UUID = UUID(),
        occurredAt: Date,
        actorID: UUID?,
        actorUsername: String?,
        action: String,
        entity: String,
        entityID: String?,
        detail: String = "",
        address: String? = nil,
        requestID: String? = nil
    ) {
        self.id = id
        self.occurredAt = occurredAt
        self.actorID = actorID
        self.actorUsername = actorUsername
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.detail = detail
        self.address = address
        self.requestID = requestID
    }
}

import ChuqingDomain
import Foundation
import SQLKit

/// Whether a session belongs to a program (bearer token) or a browser (cookie).
public enum SessionKind: String, Sendable {
    case api
    case web
}

/// A live session and its user.
public struct ActiveSession: Sendable {
    public let tokenHash: String
    public let kind: SessionKind
    public let expiresAt: Date
    public let user: User
}

/// Login sessions. Only token hashes are stored.
/// The same SQL on SQLite and PostgreSQL.
public struct SessionRepository: Sendable {
    public init() {}

    /// The user columns, qualified with the `u` alias of the join.
    private static let userColumns = UserRepository.columns.split(separator: ",")
        .map { "u.\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", ")

    /// Records a new session.
    public func insert(
        tokenHash: String, userID: UUID, kind: SessionKind, createdAt: Date, expiresAt: Date, address: String?, on db: any SQLDatabase
    ) async throws {
        try await db.raw(
            """
            INSERT INTO sessions (token_hash, user_id, kind, created_at, expires_at, address)
            VALUES (\(bind: tokenHash), \(bind: userID.databaseText), \(bind: kind.rawValue), \(bind: createdAt), \(bind: expiresAt), \(bind: address))
            """
        ).run()
    }

    /// The session with this hash if it has not ended or expired and its user is enabled.
    public func active(tokenHash: String, now: Date, on db: any SQLDatabase) async throws -> ActiveSession? {
        // One query on every request's path: the session and its user together.
        struct Row: Decodable {
            let kind: String
            let expires_at: Date
        }
        let query: SQLQueryString = """
            SELECT s.kind, s.expires_at, \(unsafeRaw: Self.userColumns) FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = \(bind: tokenHash) AND s.ended_at IS NULL AND s.expires_at > \(bind: now)
              AND u.is_disabled = \(bind: false)
            """
        guard let row = try await db.raw(query).first() else { return nil }
        let session = try row.decode(model: Row.self)
        guard let kind = SessionKind(rawValue: session.kind) else { return nil }
        let stored = try row.decode(model: UserRepository.Row.self).stored()
        return ActiveSession(tokenHash: tokenHash, kind: kind, expiresAt: session.expires_at, user: stored.user)
    }

    /// Ends one session (logout).
    public func end(tokenHash: String, at: Date, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE sessions SET ended_at = \(bind: at) WHERE token_hash = \(bind: tokenHash) AND ended_at IS NULL").run()
    }

    /// Ends every session of a user but `except` (when the user is disabled or changes password).
    public func endAll(userID: UUID, except: String?, at: Date, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE sessions SET ended_at = \(bind: at)
            WHERE user_id = \(bind: userID.databaseText) AND ended_at IS NULL AND token_hash <> \(bind: except ?? "")
            """
        ).run()
    }
}

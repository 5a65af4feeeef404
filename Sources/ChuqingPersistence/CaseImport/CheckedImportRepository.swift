import ChuqingDomain
import Foundation
import SQLKit

/// A case export that was checked (a dry run) and kept for committing (issue 16 item 18).
public struct CheckedImport: Sendable {
    public let id: UUID
    public let filename: String
    public let bytes: Data
    public let createdAt: Date
}

/// The checked case exports, each its checker's, kept for `CheckedImportRepository.keptFor`.
public struct CheckedImportRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// A day: long enough to read the report and commit, short enough that a stale export is not
    /// committed over a newer one by mistake.
    public static let keptFor: TimeInterval = 24 * 3600

    /// Keeps `bytes` for `userID`, and removes every checked export older than a day.
    public func keep(_ bytes: Data, filename: String, userID: UUID, now: Date) async throws -> UUID {
        let id = UUID()
        try await database.transaction { db in
            try await db.raw("DELETE FROM checked_imports WHERE created_at < \(bind: now.addingTimeInterval(-Self.keptFor))").run()
            try await db.raw(
                """
                INSERT INTO checked_imports (id, user_id, filename, bytes, sha256, created_at)
                VALUES (\(bind: id.databaseText), \(bind: userID.databaseText), \(bind: filename), \(bind: bytes),
                        \(bind: Digest.sha256Hex(bytes)), \(bind: now))
                """
            ).run()
        }
        return id
    }

    private struct Row: Decodable {
        let id: String
        let filename: String
        let bytes: Data
        let created_at: Date
    }

    /// The export `id` if `userID` checked it within the last day.
    public func find(id: UUID, userID: UUID, now: Date) async throws -> CheckedImport? {
        try await database.sql.raw(
            """
            SELECT id, filename, bytes, created_at FROM checked_imports
            WHERE id = \(bind: id.databaseText) AND user_id = \(bind: userID.databaseText)
              AND created_at >= \(bind: now.addingTimeInterval(-Self.keptFor))
            """
        ).first(decoding: Row.self).map {
            CheckedImport(
                id: try Stored.uuid($0.id, "checked_imports.id"), filename: $0.filename, bytes: $0.bytes, createdAt: $0.created_at)
        }
    }

    /// Removes the export once it has been committed.
    public func remove(id: UUID) async throws {
        try await database.sql.raw("DELETE FROM checked_imports WHERE id = \(bind: id.databaseText)").run()
    }
}

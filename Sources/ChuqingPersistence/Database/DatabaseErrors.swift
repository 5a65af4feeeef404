import PostgresNIO
import SQLiteKit

/// Recognising engine errors by their codes, in one place, so that no repository reads a
/// driver's message text.
public enum DatabaseErrors {
    /// True for a UNIQUE or PRIMARY KEY violation: SQLite's extended result codes
    /// (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_CONSTRAINT_PRIMARYKEY`; SQLiteNIO opens connections
    /// with extended codes) or PostgreSQL's SQLSTATE 23505 `unique_violation`.
    public static func isUniqueViolation(_ error: any Error) -> Bool {
        switch error {
        case let error as SQLiteError:
            return error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed
        case let error as PSQLError:
            return error.code == .server && error.serverInfo?[.sqlState] == PostgresError.Code.uniqueViolation.raw
        default:
            return false
        }
    }
}

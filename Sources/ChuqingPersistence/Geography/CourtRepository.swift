import ChuqingDomain
import SQLKit

/// The courts Chuqing knows (master data, seeded by migration): the court itself and the
/// neighbouring courts it works with.
public struct CourtRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    private struct Row: Decodable {
        let code: String
        let name: String
    }

    /// Every court, in code order.
    public func all() async throws -> [Court] {
        try await database.sql.raw("SELECT code, name FROM courts ORDER BY code")
            .all(decoding: Row.self)
            .map { Court(code: $0.code, name: $0.name) }
    }

    /// The court with this code, if it is known.
    public func find(code: String) async throws -> Court? {
        try await database.sql.raw("SELECT code, name FROM courts WHERE code = \(bind: code)")
            .first(decoding: Row.self)
            .map { Court(code: $0.code, name: $0.name) }
    }
}

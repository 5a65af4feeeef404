import ChuqingDomain
import SQLKit

/// The county's townships (master data, seeded by migration).
public protocol TownshipRepository: Sendable {
    /// All townships, in code order.
    func all(on db: any SQLDatabase) async throws -> [Township]
}

/// The SQL implementation, the same on SQLite and PostgreSQL.
public struct SQLTownshipRepository: TownshipRepository {
    public init() {}

    public func all(on db: any SQLDatabase) async throws -> [Township] {
        struct Row: Decodable {
            let code: String
            let name: String
            let county_code: String
        }
        return try await db.raw("SELECT code, name, county_code FROM townships ORDER BY code")
            .all(decoding: Row.self)
            .map { Township(code: $0.code, name: $0.name, countyCode: $0.county_code) }
    }
}

import ChuqingDomain
import SQLKit

/// The county's townships (master data, seeded by migration).
/// The same SQL on SQLite and PostgreSQL.
public struct TownshipRepository: Sendable {
    public init() {}

    /// All townships, in code order.
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

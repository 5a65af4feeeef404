import ChuqingDomain
import ChuqingTestSupport
import Foundation
import SQLKit
import Testing

@testable import ChuqingPersistence

/// A UUID or a day bound into SQL is its stored text, so a WHERE clause on an id column finds the row.
@Suite("Stored forms of bound values")
struct StoredFormsTests {
    @Test(arguments: TestEngine.available)
    func aBoundUUIDAndDayMatchTheirStoredText(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            // arrange
            let id = UUID()
            let day = CalendarDate(year: 2026, month: 12, day: 2)!
            let missing: UUID? = nil
            // act
            let row = try await database.sql.raw(
                "SELECT \(bind: id) AS id, \(bind: day) AS day, \(bind: missing) IS NULL AS absent"
            ).first()
            // check: the same text as every id and day column holds
            #expect(try row?.decode(column: "id", as: String.self) == id.uuidString.lowercased())
            #expect(try row?.decode(column: "day", as: String.self) == "2026-12-02")
            #expect(try row?.decode(column: "absent", as: Bool.self) == true)
        }
    }
}

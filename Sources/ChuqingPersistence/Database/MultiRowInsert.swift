import SQLKit

/// Multi-row `INSERT … VALUES (…), (…)`, split to stay well under both engines' limit on bound
/// parameters (SQLite 32,766, PostgreSQL 65,535). Every value is bound.
enum MultiRowInsert {
    static func run(into table: String, columns: [String], rows: [[any Encodable & Sendable]], on db: any SQLDatabase) async throws {
        let rowsPerStatement = max(1, 30_000 / columns.count)
        var start = 0
        while start < rows.count {
            let slice = rows[start..<min(rows.count, start + rowsPerStatement)]
            let values = slice.map { "(\(binds: $0))" as SQLQueryString }.joined(separator: ", ")
            try await db.raw("INSERT INTO \(ident: table) (\(idents: columns, joinedBy: ", ")) VALUES \(values)").run()
            start += rowsPerStatement
        }
    }
}

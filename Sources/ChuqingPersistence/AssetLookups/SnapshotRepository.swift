import ChuqingDomain
import Foundation
import SQLKit

/// An extract as loaded.
public struct SnapshotSummary: Sendable, Equatable {
    public let id: UUID
    public let category: String
    public let extractedOn: CalendarDate
    public let fileName: String
    /// SHA-256 of the file as handed over.
    public let digest: String
    public let rows: Int
    public let loadedBy: String
    public let loadedAt: Date

    /// How an answer names its source, for the audit trail.
    public var source: String { "数据提取文件 \(fileName)（提取日期 \(extractedOn)，\(rows) 行，SHA-256 \(digest.prefix(16))…）" }
}

/// The extract files departments hand over (`chuqing import snapshot CATEGORY FILE`), answering
/// the categories whose connector is `snapshot`.
public struct SnapshotRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Rows per INSERT: 9 bound values each, well under SQLite's and PostgreSQL's bind limits.
    static let chunk = 500

    /// Makes `rows` the category's current extract, in one transaction: the previous extract stays
    /// listed but its rows go, so a look-up answers from one extract only.
    public func load(
        category code: String, extractedOn: CalendarDate, fileName: String, digest: String, rows: [SnapshotExtract.Row],
        loadedBy: String, audit: AuditEntry, now: Date
    ) async throws -> SnapshotSummary {
        try extractedOn.mustHaveHappened(by: CalendarDate(dayOf: now), "提取日期", field: "extractedOn")
        let catalogue = try await AssetLookupRepository(database: database).catalogue()
        guard catalogue.contains(where: { $0.code == code }) else {
            throw DomainError(
                code: "unknown_category",
                message: "没有代码为「\(code)」的数据类别；可用：\(catalogue.map { "\($0.code)（\($0.name)）" }.joined(separator: "、"))",
                field: "category")
        }
        let id = UUID().databaseText
        try await database.transaction { db in
            try await db.raw(
                """
                DELETE FROM asset_snapshot_rows WHERE snapshot_id IN (SELECT id FROM asset_snapshots WHERE category_code = \(bind: code))
                """
            ).run()
            try await db.raw("UPDATE asset_snapshots SET is_current = \(bind: false) WHERE category_code = \(bind: code)").run()
            try await db.raw(
                """
                INSERT INTO asset_snapshots (id, category_code, extracted_on, file_name, digest, row_count, loaded_by, loaded_at, is_current)
                VALUES (\(bind: id), \(bind: code), \(bind: extractedOn.description), \(bind: fileName), \(bind: digest), \(bind: rows.count),
                        \(bind: loadedBy), \(bind: now), \(bind: true))
                """
            ).run()
            for start in stride(from: 0, to: rows.count, by: Self.chunk) {
                let values = rows[start..<min(start + Self.chunk, rows.count)].map { row -> SQLQueryString in
                    let finding = row.finding
                    return """
                        (\(bind: id), \(bind: row.line), \(bind: row.idNumber), \(bind: row.name), \(bind: finding.kind.rawValue), \(bind: finding.description),
                         \(bind: finding.identifier), \(bind: finding.valueFen), \(bind: finding.holder))
                        """
                }
                try await db.raw(
                    """
                    INSERT INTO asset_snapshot_rows (snapshot_id, line, id_number, name, kind, description, identifier, value_fen, holder) VALUES
                    """ + values.joined(separator: ", ")
                ).run()
            }
            try await AuditLogRepository().append(audit, on: db)
        }
        return SnapshotSummary(
            id: try Stored.uuid(id, "asset_snapshots.id"), category: code, extractedOn: extractedOn, fileName: fileName, digest: digest,
            rows: rows.count,
            loadedBy: loadedBy, loadedAt: now)
    }

    private struct SnapshotRow: Decodable {
        let id: String
        let category_code: String
        let extracted_on: String
        let file_name: String
        let digest: String
        let row_count: Int
        let loaded_by: String
        let loaded_at: Date

        func summary() throws -> SnapshotSummary {
            SnapshotSummary(
                id: try Stored.uuid(id, "asset_snapshots.id"), category: category_code,
                extractedOn: try Stored.date(extracted_on, "asset_snapshots.extracted_on"), fileName: file_name, digest: digest,
                rows: row_count,
                loadedBy: loaded_by, loadedAt: loaded_at)
        }
    }

    /// Every category's current extract.
    public func current() async throws -> [SnapshotSummary] {
        try await database.sql.raw(
            """
            SELECT id, category_code, extracted_on, file_name, digest, row_count, loaded_by, loaded_at FROM asset_snapshots
            WHERE is_current = \(bind: true) ORDER BY category_code
            """
        ).all(decoding: SnapshotRow.self).map { try $0.summary() }
    }

    /// What the category's current extract holds about `idNumber`, in file order; nil when the
    /// category has no extract loaded.
    public func answer(category code: String, idNumber: String) async throws -> (snapshot: SnapshotSummary, findings: [AssetFinding])? {
        guard
            let snapshot = try await database.sql.raw(
                """
                SELECT id, category_code, extracted_on, file_name, digest, row_count, loaded_by, loaded_at FROM asset_snapshots
                WHERE category_code = \(bind: code) AND is_current = \(bind: true)
                """
            ).first(decoding: SnapshotRow.self)?.summary()
        else { return nil }
        struct Row: Decodable {
            let kind: String
            let description: String
            let identifier: String?
            let value_fen: Int64?
            let holder: String?
        }
        let findings = try await database.sql.raw(
            """
            SELECT kind, description, identifier, value_fen, holder FROM asset_snapshot_rows
            WHERE snapshot_id = \(bind: snapshot.id) AND id_number = \(bind: idNumber.uppercased()) ORDER BY line
            """
        ).all(decoding: Row.self).map {
            AssetFinding(
                kind: AssetFinding.Kind(rawValue: $0.kind) ?? .other, description: $0.description, identifier: $0.identifier,
                valueFen: $0.value_fen, holder: $0.holder)
        }
        return (snapshot, findings)
    }
}

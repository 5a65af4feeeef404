import ChuqingDomain
import ChuqingPersistence
import Foundation

/// Loads a department's extract file for a category (`chuqing import snapshot CATEGORY FILE`, or
/// `POST /api/v1/data-categories/{code}/snapshot`): read as UTF-8 CSV, checked row by row (all or
/// nothing, `SnapshotExtract`), and made the category's current extract with the file's SHA-256.
public enum SnapshotImport {
    public struct Result: Sendable {
        public let snapshot: SnapshotSummary
        /// Whether the category is answered by its extract; when not, the extract waits until an
        /// admin switches the category's connector to `snapshot`.
        public let categoryUsesSnapshot: Bool
    }

    public static func load(
        _ data: Data, category: String, fileName: String, extractedOn: CalendarDate?, loadedBy: String, actorID: UUID?,
        database: Database, now: Date
    ) async throws -> Result {
        guard let text = String(data: data, encoding: .utf8) else {
            throw DomainError(code: "not_utf8", message: "提取文件须为 UTF-8 编码的 CSV（收到的文件不是 UTF-8；可在 Excel 中另存为「CSV UTF-8」）", field: "file")
        }
        let records: [CSVReader.Record]
        do { records = try CSVReader.records(text) } catch let error as CSVReader.UnterminatedQuote {
            throw DomainError(code: "invalid_csv", message: "提取文件第 \(error.row) 行的引号没有闭合", field: "file")
        }
        // The name is only a label for the log: any text, kept short.
        let trimmed = String(fileName.trimmingCharacters(in: .whitespacesAndNewlines).prefix(120))
        let fileName = trimmed.isEmpty ? "\(category).csv" : trimmed
        let today = CalendarDate(dayOf: now)
        let rows = try SnapshotExtract.rows(records.map { ($0.row, $0.fields) }, today: today)
        let repository = AssetLookupRepository(database: database)
        let snapshot = try await SnapshotRepository(database: database).load(
            category: category, extractedOn: extractedOn ?? today, fileName: fileName, digest: Digest.sha256Hex(data), rows: rows,
            loadedBy: loadedBy,
            audit: AuditEntry(
                occurredAt: now, actorID: actorID, actorUsername: loadedBy, action: "snapshot.load", entity: "data_category",
                entityID: category, detail: "\(fileName)：\(rows.count) 行"),
            now: now)
        let uses = try await repository.catalogue().first { $0.code == category }?.connector == .snapshot
        return Result(snapshot: snapshot, categoryUsesSnapshot: uses)
    }
}

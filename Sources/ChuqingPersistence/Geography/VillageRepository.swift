import ChuqingDomain
import Foundation
import SQLKit

/// A village (行政村/社区) of one of the county's townships.
public struct Village: Sendable, Equatable {
    public let id: String
    public let townshipCode: String
    public let name: String
}

/// Villages, registered by an admin under their township.
public struct VillageRepository: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    private struct Row: Decodable {
        let id: String
        let township_code: String
        let name: String
    }

    /// The villages of `townshipCode`, by name; nil when there is no such township.
    public func villages(of townshipCode: String) async throws -> [Village]? {
        struct T: Decodable { let code: String }
        guard try await database.sql.raw("SELECT code FROM townships WHERE code = \(bind: townshipCode)").first(decoding: T.self) != nil
        else {
            return nil
        }
        return try await database.sql.raw(
            """
            SELECT id, township_code, name FROM villages WHERE township_code = \(bind: townshipCode) ORDER BY name
            """
        ).all(decoding: Row.self).map { Village(id: $0.id, townshipCode: $0.township_code, name: $0.name) }
    }

    /// Every registered village, by township then name.
    public func all() async throws -> [Village] {
        try await database.sql.raw("SELECT id, township_code, name FROM villages ORDER BY township_code, name")
            .all(decoding: Row.self).map { Village(id: $0.id, townshipCode: $0.township_code, name: $0.name) }
    }

    /// Registers a village; 409 when the township has one of that name already.
    public func add(name rawName: String, townshipCode: String, audit: AuditEntry, now: Date) async throws -> Village {
        let name = rawName.trimmed
        guard !name.isEmpty, name.count <= 40 else {
            throw DomainError(code: "invalid_village_name", message: "村（社区）名称须为 1–40 个字（收到「\(rawName)」）", field: "name")
        }
        return try await database.transaction { db in
            if try await db.raw(
                "SELECT id, township_code, name FROM villages WHERE township_code = \(bind: townshipCode) AND name = \(bind: name)"
            )
            .first(decoding: Row.self) != nil {
                throw DomainError(code: "village_exists", message: "该乡镇已有「\(name)」", field: "name", kind: .conflict)
            }
            let village = Village(id: UUID().databaseText, townshipCode: townshipCode, name: name)
            try await db.raw(
                """
                INSERT INTO villages (id, township_code, name, created_at)
                VALUES (\(bind: village.id), \(bind: townshipCode), \(bind: name), \(bind: now))
                """
            ).run()
            try await AuditLogRepository().append(audit, on: db)
            return village
        }
    }

    /// What a village list import did.
    public struct ListImport: Sendable, Equatable {
        public let added: Int
        public let existing: Int
    }

    /// Registers the villages of a list (CSV rows `乡镇,村（社区）`, the township by name or code; a
    /// first row naming the columns is skipped), as a court copies it from the civil-affairs
    /// register. All or nothing: a row naming an unknown township or an invalid name refuses the
    /// whole list with every such row listed; villages already registered are counted, not repeated.
    public func importList(_ records: [CSVReader.Record], audit: AuditEntry, now: Date) async throws -> ListImport {
        let townships = TownshipDirectory(try await TownshipRepository().all(on: database.sql))
        var rows: [(code: String, name: String)] = []
        var problems: [String] = []
        for record in records {
            let fields = record.fields.map(\.trimmed)
            if fields.allSatisfy(\.isEmpty) { continue }
            if record.row == 1, fields.first == "乡镇" { continue }
            guard fields.count >= 2 else {
                problems.append("第 \(record.row) 行：须有两列（乡镇,村（社区））")
                continue
            }
            guard let township = townships.find(fields[0]) else {
                problems.append("第 \(record.row) 行：没有「\(fields[0])」这个乡镇")
                continue
            }
            guard !fields[1].isEmpty, fields[1].count <= 40 else {
                problems.append("第 \(record.row) 行：村（社区）名称须为 1–40 个字（收到「\(fields[1])」）")
                continue
            }
            rows.append((township.code, fields[1]))
        }
        let valid = rows
        guard problems.isEmpty else {
            throw DomainError(code: "invalid_village_list", message: "村（社区）名单有误，未导入任何一行：" + problems.joined(separator: "；"), field: "file")
        }
        return try await database.transaction { db in
            let known = Set(
                try await db.raw("SELECT id, township_code, name FROM villages").all(decoding: Row.self).map {
                    "\($0.township_code)\u{1F}\($0.name)"
                })
            var added = 0
            var existing = 0
            var seen = known
            for row in valid {
                guard seen.insert("\(row.code)\u{1F}\(row.name)").inserted else {
                    existing += 1
                    continue
                }
                try await db.raw(
                    """
                    INSERT INTO villages (id, township_code, name, created_at)
                    VALUES (\(bind: UUID().databaseText), \(bind: row.code), \(bind: row.name), \(bind: now))
                    """
                ).run()
                added += 1
            }
            try await AuditLogRepository().append(audit, on: db)
            return ListImport(added: added, existing: existing)
        }
    }

    /// Checks that village `id` is one of `townshipCode`'s, inside the caller's transaction.
    static func check(id: String, townshipCode: String, on db: any SQLDatabase) async throws {
        let known = try await db.raw(
            "SELECT id, township_code, name FROM villages WHERE township_code = \(bind: townshipCode) ORDER BY name"
        )
        .all(decoding: Row.self)
        guard known.contains(where: { $0.id == id.lowercased() }) else {
            let accepted = known.isEmpty ? "该乡镇尚未登记任何村（社区），请管理员先登记" : "可选：\(known.map { "\($0.id)（\($0.name)）" }.joined(separator: "、"))"
            throw DomainError(code: "unknown_village", message: "所属乡镇没有 id 为「\(id)」的村（社区）。\(accepted)", field: "village")
        }
    }

    /// Checks that `name` is a registered village of `townshipCode`, inside the caller's transaction.
    static func check(_ name: String, townshipCode: String?, on db: any SQLDatabase) async throws {
        guard let townshipCode else {
            throw DomainError(code: "township_required", message: "填写村（社区）前须先确定所属乡镇", field: "village")
        }
        let known = try await db.raw(
            "SELECT id, township_code, name FROM villages WHERE township_code = \(bind: townshipCode) ORDER BY name"
        )
        .all(decoding: Row.self).map(\.name)
        guard known.contains(name) else {
            let accepted = known.isEmpty ? "该乡镇尚未登记任何村（社区），请管理员先登记" : "可选：\(known.joined(separator: "、"))"
            throw DomainError(code: "unknown_village", message: "所属乡镇没有「\(name)」这个村（社区）。\(accepted)", field: "village")
        }
    }
}

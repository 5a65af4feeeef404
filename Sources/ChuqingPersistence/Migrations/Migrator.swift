import Crypto
import Foundation
import SQLKit

/// One numbered migration file, as it applies to one engine.
public struct Migration: Sendable, Equatable {
    /// The number in the file name (`0003_…` is 3).
    public let version: Int
    /// The file name without number and extension (`0003_audit_log.sql` is `audit_log`).
    public let name: String
    /// The file used for this engine: the engine's variant if there is one, else the portable file.
    public let fileName: String
    /// The file's text.
    public let script: String
    /// SHA-256 of the file's bytes, hex; a change to an applied file is refused.
    public let checksum: String
}

/// A migration as recorded in `schema_migrations`.
public struct AppliedMigration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let checksum: String
    public let appliedAt: Date
}

/// Why migrations cannot go ahead.
public enum MigrationError: Error, Equatable, CustomStringConvertible {
    case badFileName(String)
    case duplicateVersion(Int, [String])
    case missingEngineVariant(version: Int, engine: DatabaseEngine)
    case changedAfterApplying(version: Int, name: String, recorded: String, current: String)
    case unknownApplied(version: Int, name: String)
    case pending([String])
    case statementFailed(file: String, statement: Int, sql: String, underlying: String)

    public var description: String {
        switch self {
        case .badFileName(let name):
            "迁移文件名「\(name)」不合规：应为 NNNN_名称.sql，或 NNNN_名称.sqlite.sql / NNNN_名称.postgres.sql"
        case .duplicateVersion(let version, let files):
            "迁移编号 \(version) 重复：\(files.joined(separator: "、"))"
        case .missingEngineVariant(let version, let engine):
            "迁移 \(version) 只有其他引擎的版本，缺少通用文件或 .\(engine.rawValue).sql 文件"
        case .changedAfterApplying(let version, let name, let recorded, let current):
            "已应用的迁移 \(version)_\(name) 被修改过（记录的校验和 \(recorded.prefix(12))…，当前文件 \(current.prefix(12))…）。已应用的迁移不可修改：请恢复原文件，并把改动写成新的迁移。"
        case .unknownApplied(let version, let name):
            "数据库记录了迁移 \(version)_\(name)，但 Migrations/ 中没有这个文件：程序版本比数据库旧？"
        case .pending(let names):
            "有 \(names.count) 个迁移尚未应用（\(names.joined(separator: "、"))）。请先运行 `chuqing migrate`，或以 `chuqing serve --migrate` 启动。"
        case .statementFailed(let file, let statement, let sql, let underlying):
            "迁移 \(file) 的第 \(statement) 条语句失败（已整体回滚）：\(underlying)\n\(sql)"
        }
    }
}

/// Reads `Migrations/`, compares it with `schema_migrations`, and applies what is pending.
public struct Migrator: Sendable {
    public let database: Database
    public let migrations: [Migration]

    /// Loads the migration files for `database`'s engine from `directory`.
    public init(database: Database, directory: URL) throws {
        self.database = database
        self.migrations = try Self.load(directory: directory, engine: database.engine)
    }

    /// The migrations in `directory` for `engine`, in version order.
    public static func load(directory: URL, engine: DatabaseEngine) throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        var byVersion: [Int: (name: String, portable: String?, variants: [DatabaseEngine: String])] = [:]
        for file in names {
            let parts = file.dropLast(".sql".count).split(separator: ".")
            guard (1...2).contains(parts.count) else { throw MigrationError.badFileName(file) }
            let stem = parts[0]
            guard stem.count > 5, stem[stem.index(stem.startIndex, offsetBy: 4)] == "_",
                let version = Int(stem.prefix(4)),
                stem.dropFirst(5).allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
            else { throw MigrationError.badFileName(file) }
            let name = String(stem.dropFirst(5))
            var entry = byVersion[version] ?? (name: name, portable: nil, variants: [:])
            guard entry.name == name else {
                throw MigrationError.duplicateVersion(version, names.filter { $0.hasPrefix(String(stem.prefix(4)) + "_") })
            }
            if parts.count == 2 {
                guard let variantEngine = DatabaseEngine(rawValue: String(parts[1])) else { throw MigrationError.badFileName(file) }
                entry.variants[variantEngine] = file
            } else {
                entry.portable = file
            }
            byVersion[version] = entry
        }
        return try byVersion.keys.sorted().map { version in
            let entry = byVersion[version]!
            guard let file = entry.variants[engine] ?? entry.portable else {
                throw MigrationError.missingEngineVariant(version: version, engine: engine)
            }
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            let checksum = Digest.sha256Hex(data)
            return Migration(
                version: version,
                name: entry.name,
                fileName: file,
                script: String(decoding: data, as: UTF8.self),
                checksum: checksum
            )
        }
    }

    /// What is recorded as applied, in version order.
    public func applied() async throws -> [AppliedMigration] {
        try await createLedger()
        struct Row: Decodable {
            let version: Int
            let name: String
            let checksum: String
            let applied_at: Date
        }
        return try await database.sql.raw("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
            .all(decoding: Row.self)
            .map { AppliedMigration(version: $0.version, name: $0.name, checksum: $0.checksum, appliedAt: $0.applied_at) }
    }

    /// The migrations not yet applied; throws if an applied one was changed or is unknown.
    public func pending() async throws -> [Migration] {
        let applied = try await applied()
        let files = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for record in applied {
            guard let file = files[record.version] else {
                throw MigrationError.unknownApplied(version: record.version, name: record.name)
            }
            if file.checksum != record.checksum {
                throw MigrationError.changedAfterApplying(
                    version: record.version, name: record.name, recorded: record.checksum, current: file.checksum)
            }
        }
        let done = Set(applied.map(\.version))
        return migrations.filter { !done.contains($0.version) }
    }

    /// Throws `MigrationError.pending` unless the database is fully migrated (what `serve` checks).
    public func requireUpToDate() async throws {
        let pending = try await pending()
        if !pending.isEmpty {
            throw MigrationError.pending(pending.map { "\(String(format: "%04d", $0.version))_\($0.name)" })
        }
    }

    /// Applies every pending migration in order, each in its own transaction together with its
    /// `schema_migrations` row; returns what was applied.
    @discardableResult
    public func migrate(now: @escaping @Sendable () -> Date = Date.init) async throws -> [Migration] {
        let pending = try await pending()
        for migration in pending {
            let statements = SQLScript.statements(in: migration.script)
            try await database.transaction { db in
                for (index, statement) in statements.enumerated() {
                    do {
                        try await db.raw(SQLQueryString(statement)).run()
                    } catch {
                        throw MigrationError.statementFailed(
                            file: migration.fileName, statement: index + 1, sql: statement, underlying: String(reflecting: error)
                        )
                    }
                }
                try await db.raw(
                    """
                    INSERT INTO schema_migrations (version, name, checksum, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: migration.checksum), \(bind: now()))
                    """
                ).run()
            }
        }
        return pending
    }

    private func createLedger() async throws {
        try await database.sql.raw(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at TIMESTAMP WITH TIME ZONE NOT NULL
            )
            """
        ).run()
    }
}

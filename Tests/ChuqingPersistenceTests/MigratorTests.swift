import ChuqingPersistence
import ChuqingTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Migrations")
struct MigratorTests {
    @Test(arguments: TestEngine.available)
    func appliesEveryMigrationOnceInOrder(engine: TestEngine) async throws {
        try await engine.withDatabase(migrated: false) { database in
            // setup
            let migrator = try Migrator(database: database, directory: TestSupport.migrationsDirectory)
            // act
            let first = try await migrator.migrate(now: { TestSupport.fixedNow })
            let second = try await migrator.migrate()
            // check
            #expect(first.map(\.version) == migrator.migrations.map(\.version))
            #expect(first.map(\.version) == first.map(\.version).sorted())
            #expect(second.isEmpty)
            let applied = try await migrator.applied()
            #expect(applied.map(\.checksum) == migrator.migrations.map(\.checksum))
            #expect(applied.allSatisfy { $0.appliedAt == TestSupport.fixedNow })
            try await migrator.requireUpToDate()
        }
    }

    @Test(arguments: TestEngine.available)
    func refusesToStartWithPendingMigrations(engine: TestEngine) async throws {
        try await engine.withDatabase(migrated: false) { database in
            let migrator = try Migrator(database: database, directory: TestSupport.migrationsDirectory)
            await #expect(throws: MigrationError.self) { try await migrator.requireUpToDate() }
        }
    }

    @Test(arguments: TestEngine.available)
    func refusesAnAppliedMigrationThatWasEdited(engine: TestEngine) async throws {
        try await engine.withDatabase(migrated: false) { database in
            // setup: a copy of Migrations/ whose first file changes after it was applied
            let folder = try Self.copyOfMigrations()
            try await Migrator(database: database, directory: folder).migrate()
            let first = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().first)
            let handle = try FileHandle(forWritingTo: folder.appendingPathComponent(first))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("\n-- edited\n".utf8))
            try handle.close()
            // act
            let edited = try Migrator(database: database, directory: folder)
            // check
            do {
                try await edited.requireUpToDate()
                Issue.record("an edited migration was accepted")
            } catch let error as MigrationError {
                guard case .changedAfterApplying(let version, _, _, _) = error else {
                    Issue.record("wrong error: \(error)")
                    return
                }
                #expect(version == 1)
                #expect(error.description.contains("被修改过"))
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aFailingMigrationLeavesNothingBehind(engine: TestEngine) async throws {
        try await engine.withDatabase(migrated: true) { database in
            // setup: a new migration whose second statement fails
            let folder = try Self.copyOfMigrations()
            try """
            CREATE TABLE half_done (id TEXT PRIMARY KEY);
            INSERT INTO no_such_table (id) VALUES ('x');
            """.write(to: folder.appendingPathComponent("0999_broken.sql"), atomically: true, encoding: .utf8)
            let migrator = try Migrator(database: database, directory: folder)
            // act
            await #expect(throws: MigrationError.self) { try await migrator.migrate() }
            // check: the table of the first statement was rolled back with the rest
            await #expect(throws: (any Error).self) { try await database.sql.raw("SELECT id FROM half_done").all() }
            #expect(try await migrator.pending().map(\.version) == [999])
        }
    }

    @Test
    func picksTheEngineVariantBesideThePortableFile() throws {
        let sqlite = try Migrator.load(directory: TestSupport.migrationsDirectory, engine: .sqlite)
        let postgres = try Migrator.load(directory: TestSupport.migrationsDirectory, engine: .postgres)
        let sqliteTwo = try #require(sqlite.first { $0.version == 2 })
        let postgresTwo = try #require(postgres.first { $0.version == 2 })
        #expect(sqliteTwo.fileName.hasSuffix(".sqlite.sql"))
        #expect(postgresTwo.fileName.hasSuffix(".postgres.sql"))
        #expect(sqliteTwo.name == postgresTwo.name)
    }

    @Test
    func rejectsBadFileNames() throws {
        let folder = try Self.copyOfMigrations()
        try "SELECT 1;".write(to: folder.appendingPathComponent("12_short.sql"), atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.badFileName("12_short.sql")) {
            try Migrator.load(directory: folder, engine: .sqlite)
        }
    }

    @Test
    func moneyColumnsAreNeverFloatingPoint() throws {
        for engine in DatabaseEngine.allCases {
            for migration in try Migrator.load(directory: TestSupport.migrationsDirectory, engine: engine) {
                let upper = migration.script.uppercased()
                for word in [" REAL", " DOUBLE", " FLOAT", " NUMERIC(", " DECIMAL"] {
                    #expect(!upper.contains(word), "\(migration.fileName) uses\(word)")
                }
            }
        }
    }

    static func copyOfMigrations() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chuqing-migrations-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestSupport.migrationsDirectory, to: folder)
        return folder
    }
}

@Suite("Splitting migration scripts")
struct SQLScriptTests {
    @Test
    func splitsOnSemicolonsOutsideQuotesAndComments() {
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE a (x TEXT DEFAULT 'a;b');
            /* block; comment */
            INSERT INTO a (x) VALUES ('it''s; fine');
            """
        #expect(
            SQLScript.statements(in: script) == [
                "-- a comment; with a semicolon\nCREATE TABLE a (x TEXT DEFAULT 'a;b')",
                "/* block; comment */\nINSERT INTO a (x) VALUES ('it''s; fine')",
            ])
    }

    @Test
    func keepsDollarQuotedBodiesWhole() {
        let script = "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'x'; END; $$ LANGUAGE plpgsql;\nSELECT $1;"
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 2)
        #expect(statements[0].hasSuffix("LANGUAGE plpgsql"))
    }

    @Test
    func keepsSQLiteTriggerBodiesWhole() {
        let script = """
            CREATE TRIGGER t BEFORE UPDATE ON a
            BEGIN
                SELECT RAISE(ABORT, 'no');
                SELECT 1;
            END;
            CREATE INDEX i ON a (x);
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 2)
        #expect(statements[0].hasSuffix("END"))
        #expect(statements[1] == "CREATE INDEX i ON a (x)")
    }

    @Test
    func endsAPostgresTriggerAtItsSemicolon() {
        let script =
            "CREATE TRIGGER t BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION f();\nCREATE TRIGGER u BEFORE DELETE ON a FOR EACH ROW EXECUTE FUNCTION f();"
        #expect(SQLScript.statements(in: script).count == 2)
    }

    @Test
    func dropsCommentOnlyPieces() {
        #expect(SQLScript.statements(in: "-- nothing here\n;\n  ;").isEmpty)
    }
}

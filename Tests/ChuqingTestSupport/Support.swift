import ChuqingDomain
import ChuqingPersistence
import Foundation
import Logging
import PostgresNIO
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The engines the suite runs on: SQLite always; PostgreSQL when `CHUQING_TEST_POSTGRES_URL`
/// names a server (as `make test` and CI do).
public enum TestEngine: String, Sendable, CustomTestStringConvertible, CaseIterable {
    case sqlite
    case postgres

    /// The engines available to this run.
    public static var available: [TestEngine] {
        TestPostgres.adminTarget == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public var testDescription: String { rawValue }

    /// Runs `body` with a fresh database of this engine that nobody else uses, migrated unless
    /// `migrated` is false, and throws it away afterwards.
    public func withDatabase<R: Sendable>(migrated: Bool = true, _ body: @escaping @Sendable (Database) async throws -> R) async throws -> R
    {
        switch self {
        case .sqlite:
            let database = try await Database.open(.sqliteMemory, logger: TestSupport.logger)
            if migrated { try await Migrator(database: database, directory: TestSupport.migrationsDirectory).migrate() }
            do {
                let result = try await body(database)
                await database.close()
                return result
            } catch {
                await database.close()
                throw error
            }
        case .postgres:
            let url = try await TestPostgres.shared.freshDatabase(migrated: migrated)
            defer { Task { try? await TestPostgres.shared.drop(url) } }
            // the server's deadlines, so that every PostgreSQL test takes the bounded path; long
            // enough that a loaded test run never meets them
            let database = try await Database.open(url, logger: TestSupport.logger, deadline: .seconds(30))
            return try await database.withRunning(body)
        }
    }

    /// A database URL for a fresh, migrated database of this engine (for tests that start the
    /// executable or a server that opens its own connection). SQLite gets a file in a temporary folder.
    public func freshDatabaseURL() async throws -> DatabaseURL {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chuqing-test-\(UUID().uuidString)")
            return .sqliteFile(path: folder.appendingPathComponent("test.sqlite").path)
        case .postgres:
            return try await TestPostgres.shared.freshDatabase(migrated: false)
        }
    }
}

/// Paths and helpers shared by the test targets.
public enum TestSupport {
    /// The repository's root folder, found from this file's path.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Migrations/` of this checkout.
    public static var migrationsDirectory: URL { repositoryRoot.appendingPathComponent("Migrations") }

    /// The working-day calendar the product ships.
    public static func calendar() throws -> WorkingDayCalendar {
        try WorkingDayCalendar.parse(
            String(contentsOf: repositoryRoot.appendingPathComponent("Templates/calendar/working-days.csv"), encoding: .utf8))
    }

    /// Quiet unless `CHUQING_TEST_LOG_LEVEL` says otherwise.
    public static let logger: Logger = {
        var logger = Logger(label: "chuqing.tests")
        logger.logLevel = ProcessInfo.processInfo.environment["CHUQING_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }()

    /// A fixed instant for tests: 2026-03-02 09:00 Asia/Shanghai.
    public static let fixedNow = Date(timeIntervalSince1970: 1_772_413_200)
}

/// The throwaway PostgreSQL server `make test` starts: a migrated template database made once per
/// test process, and one database per test copied from it with `CREATE DATABASE … TEMPLATE`.
public actor TestPostgres {
    public static let shared = TestPostgres()

    /// The server and admin credentials from `CHUQING_TEST_POSTGRES_URL`, if set.
    static var adminTarget: DatabaseURL.PostgresTarget? {
        guard let text = ProcessInfo.processInfo.environment["CHUQING_TEST_POSTGRES_URL"], !text.isEmpty,
            case .postgres(let target) = try? DatabaseURL(parsing: text)
        else { return nil }
        // Tests create and drop databases: only ever against a server on this machine.
        precondition(
            ["127.0.0.1", "localhost", "::1"].contains(target.host),
            "CHUQING_TEST_POSTGRES_URL must point at a local throwaway server, not \(target.host)")
        return target
    }

    /// One shared task: the actor is re-entered at every await, so concurrent tests must wait for
    /// the same template rather than each start making one.
    private var template: Task<String, any Error>?
    private var counter = 0
    private let prefix = "chuqing_t\(ProcessInfo.processInfo.processIdentifier)"

    /// A new database, migrated (copied from the template) or empty.
    public func freshDatabase(migrated: Bool) async throws -> DatabaseURL {
        guard var target = Self.adminTarget else { throw TestPostgresUnavailable() }
        counter += 1
        let name = "\(prefix)_\(counter)"
        if migrated {
            let template = try await migratedTemplate()
            try await admin("CREATE DATABASE \(name) TEMPLATE \(template)")
        } else {
            try await admin("CREATE DATABASE \(name)")
        }
        target.database = name
        return .postgres(target)
    }

    /// Drops a database made by `freshDatabase`.
    public func drop(_ url: DatabaseURL) async throws {
        guard case .postgres(let target) = url, target.database.hasPrefix(prefix) else { return }
        try await admin("DROP DATABASE IF EXISTS \(target.database) WITH (FORCE)")
    }

    private func migratedTemplate() async throws -> String {
        if let template { return try await template.value }
        let task = Task { try await self.makeTemplate() }
        template = task
        return try await task.value
    }

    private func makeTemplate() async throws -> String {
        guard var target = Self.adminTarget else { throw TestPostgresUnavailable() }
        let name = "\(prefix)_template"
        try await admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try await admin("CREATE DATABASE \(name)")
        target.database = name
        let database = try await Database.open(.postgres(target), logger: TestSupport.logger)
        try await database.withRunning { database in
            try await Migrator(database: database, directory: TestSupport.migrationsDirectory).migrate()
        }
        return name
    }

    /// Takes the database of `url` away from its clients, as an outage would: no new connection
    /// is accepted (the server answers FATAL 55000) and every open one is ended.
    public func cutOff(_ url: DatabaseURL) async throws {
        guard case .postgres(let target) = url, target.database.hasPrefix(prefix) else { return }
        try await admin("ALTER DATABASE \(target.database) ALLOW_CONNECTIONS false")
        try await admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(target.database)' AND pid <> pg_backend_pid()")
    }

    /// Ends `cutOff`.
    public func restore(_ url: DatabaseURL) async throws {
        guard case .postgres(let target) = url, target.database.hasPrefix(prefix) else { return }
        try await admin("ALTER DATABASE \(target.database) ALLOW_CONNECTIONS true")
    }

    /// Runs one statement on the server's maintenance database.
    private func admin(_ statement: String) async throws {
        guard let target = Self.adminTarget else { throw TestPostgresUnavailable() }
        let configuration = PostgresConnection.Configuration(
            host: target.host, port: target.port, username: target.username,
            password: target.password, database: target.database, tls: .disable
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: TestSupport.logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: TestSupport.logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw TestPostgresFailure(statement: statement, details: String(reflecting: error))
        }
    }
}

/// An admin statement failed; the driver's own description hides the server's message.
public struct TestPostgresFailure: Error, CustomStringConvertible {
    public let statement: String
    public let details: String
    public var description: String { "\(statement): \(details)" }
}

/// PostgreSQL tests were asked for without `CHUQING_TEST_POSTGRES_URL`.
public struct TestPostgresUnavailable: Error {}

/// Judges outside Chuqing, so that the project's own validator is not the only one: libxml2's
/// `xmllint --schema` for XML, and the html5lib parser (strict mode) for HTML. `make test`
/// installs both (libxml2-utils, python3-html5lib).
public enum ExternalCheckers {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Validates `xml` against `Templates/documents/<schema>` with xmllint.
    public static func validateWithXmllint(_ xml: String, schema: String) throws {
        let path = TestSupport.repositoryRoot.appendingPathComponent("Templates/documents/\(schema)").path
        let (status, output) = try run("/usr/bin/xmllint", ["--noout", "--nonet", "--schema", path, "-"], input: xml)
        guard status == 0 else { throw Failure(description: "xmllint rejected the document: \(output)") }
    }

    /// Parses `html` with html5lib in strict mode: any parse error fails.
    public static func parseHTML(_ html: String) throws {
        let script = "import html5lib, sys\nhtml5lib.HTMLParser(strict=True).parse(sys.stdin.buffer.read())"
        let (status, output) = try run("/usr/bin/python3", ["-c", script], input: html)
        guard status == 0 else { throw Failure(description: "html5lib rejected the page: \(output.suffix(600))") }
    }

    static func run(_ tool: String, _ arguments: [String], input: String) throws -> (Int32, String) {
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            throw Failure(description: "\(tool) is missing: run `make test`, which installs libxml2-utils and python3-html5lib")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        // Write and read concurrently: a large document must not fill one pipe while the other waits.
        let writer = Thread {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

/// A clock a test moves forward (the app reads it through its `now` closure).
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public var now: Date { lock.withLock { current } }

    public func advance(days: Int) { lock.withLock { current = current.addingTimeInterval(Double(days) * 86_400) } }
}

extension TestSupport {
    /// `text` in `encoding` (iconv's name), as another program would have written it.
    public static func encoded(_ text: String, as encoding: String) -> Data {
        let converter = iconv_open(encoding, "UTF-8")
        defer { iconv_close(converter) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var inLeft = input.count
        var outLeft = output.count
        input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(
                    to: CChar.self)
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(
                    to: CChar.self)
                _ = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
            }
        }
        return Data(output[0..<(output.count - outLeft)])
    }
}

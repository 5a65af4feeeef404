import ArgumentParser
import ChuqingDomain
import ChuqingPersistence
import ChuqingServer
import ChuqingServices
import Foundation
import Hummingbird
import Logging

/// `chuqing`: the server and its maintenance commands. Commands only parse; the work is done by
/// library functions that tests call directly.
@main
struct Chuqing: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chuqing",
        abstract: "出清 (Chuqing): enforcement-case clearance for county courts.",
        discussion: """
            Settings come from flags, else environment variables (DATABASE_URL, CHUQING_*), else defaults;
            docs/operations.md lists them.
            """,
        subcommands: [Serve.self, Migrate.self, Users.self, Demo.self, Import.self, ExchangeSim.self, Lookups.self]
    )
}

/// Flags shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "Overrides DATABASE_URL (sqlite:PATH, sqlite::memory:, postgres://…).")
    var databaseURL: String?

    @Option(name: .customLong("log-level"), help: "Overrides CHUQING_LOG_LEVEL (trace … critical).")
    var logLevel: String?

    /// The configuration from the environment with these flags applied; exits with the message
    /// naming the bad setting when one is malformed.
    func configuration() throws -> ServerConfiguration {
        do {
            var configuration = try ServerConfiguration(environment: ProcessInfo.processInfo.environment)
            if let databaseURL { configuration.databaseURL = try DatabaseURL(parsing: databaseURL) }
            if let logLevel { try configuration.setLogLevel(logLevel) }
            return configuration
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Bootstraps logging, opens the database, runs `body` with its services running.
    func withDatabase<R: Sendable>(_ body: @escaping @Sendable (Database, ServerConfiguration) async throws -> R) async throws -> R {
        let configuration = try configuration()
        bootstrapLogging(level: configuration.logLevel)
        var logger = Logger(label: "chuqing")
        logger.logLevel = configuration.logLevel
        let database = try await Database.open(configuration.databaseURL, logger: logger)
        return try await database.withRunning { database in
            try await database.ping(timeout: configuration.databaseTimeout)
            return try await body(database, configuration)
        }
    }
}

func bootstrapLogging(level: Logger.Level) {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the web pages and the API.")

    @OptionGroup var options: DatabaseOptions

    @Option(help: "Address to listen on (CHUQING_HOSTNAME; default 127.0.0.1).")
    var hostname: String?

    @Option(help: "Port to listen on (CHUQING_PORT; default 8080).")
    var port: String?

    @Flag(help: "Apply pending migrations before serving instead of refusing to start.")
    var migrate = false

    func run() async throws {
        var configuration = try options.configuration()
        do {
            if let hostname { try configuration.setHostname(hostname) }
            if let port { try configuration.setPort(port) }
        } catch {
            throw ValidationError(error.description)
        }
        bootstrapLogging(level: configuration.logLevel)
        let built = try await buildApplication(AppArguments(configuration: configuration, migrate: migrate))
        do {
            try await built.application.runService()
        } catch {
            // Start-up failures (dead database, pending or edited migrations) end here with the reason.
            await built.database.close()
            FileHandle.standardError.write(Data("启动失败：\(error)\n".utf8))
            throw ExitCode.failure
        }
        await built.database.close()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations (Migrations/*.sql).")

    @OptionGroup var options: DatabaseOptions

    @Flag(help: "Only list what is applied and what is pending.")
    var status = false

    func run() async throws {
        let status = self.status
        try await options.withDatabase { database, configuration in
            let home = try ResourceLocator.home(configured: configuration.home)
            let migrator = try Migrator(database: database, directory: home.appendingPathComponent("Migrations"))
            if status {
                for record in try await migrator.applied() {
                    print("已应用  \(String(format: "%04d", record.version))_\(record.name)  \(record.appliedAt)")
                }
                for migration in try await migrator.pending() {
                    print("待应用  \(migration.fileName)")
                }
                return
            }
            let applied = try await migrator.migrate()
            print(
                applied.isEmpty
                    ? "数据库已是最新（\(database.engine.rawValue)）。"
                    : "已应用 \(applied.count) 个迁移：\(applied.map(\.fileName).joined(separator: "、"))")
        }
    }
}

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage users.",
        subcommands: [Add.self, Disable.self, Enable.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user; the password is read from standard input.")
        @OptionGroup var options: DatabaseOptions
        @Option(help: "Login name: 3–32 lower-case letters, digits, . _ -") var username: String
        @Option(name: .customLong("display-name"), help: "Name shown on screens, e.g. 李法官.") var displayName: String
        @Option(help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "Township code, for liaisons only (e.g. 360732-05).") var township: String?
        @Option(name: .customLong("liaison-kind"), help: "For liaisons: commissioner (default), villageLiaison or assistant.")
        var liaisonKind: String?
        @Option(help: "For village liaisons and assisting enforcers: the id of a village of the township.") var village: String?
        @Option(name: .customLong("office-phone"), help: "The office phone liaisons see (judges), e.g. 0797-5321001.") var officePhone:
            String?
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (required).") var passwordStdin = false

        func validate() throws {
            guard passwordStdin else { throw ValidationError("请用 --password-stdin 从标准输入提供密码（不在命令行上出现）") }
        }

        func run() async throws {
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("标准输入中没有密码")
            }
            let input = NewUser(
                username: username, displayName: displayName, role: role, township: township, password: password,
                liaisonKind: liaisonKind, village: village, officePhone: officePhone)
            try await options.withDatabase { database, configuration in
                let accounts = AccountService(
                    database: database, hasher: PasswordHasher(cost: configuration.bcryptCost),
                    sessionLifetime: configuration.sessionLifetime)
                do {
                    let user = try await accounts.createUser(input, by: .commandLine)
                    print("已新增用户 \(user.username)（\(user.role.chineseName)），id \(user.id.databaseText)")
                } catch let error as DomainError {
                    throw DataError(error.message)
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user and end their sessions.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "Login name.") var username: String

        func run() async throws {
            try await setDisabled(true, username: username, options: options)
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "Login name.") var username: String

        func run() async throws {
            try await setDisabled(false, username: username, options: options)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            try await options.withDatabase { database, configuration in
                let accounts = AccountService(
                    database: database, hasher: PasswordHasher(cost: configuration.bcryptCost),
                    sessionLifetime: configuration.sessionLifetime)
                for user in try await accounts.allUsers() {
                    print(
                        "\(user.username)\t\(user.role.rawValue)\t\(user.displayName)\t\(user.townshipCode ?? "-")\t\(user.isDisabled ? "已停用" : "正常")"
                    )
                }
            }
        }
    }

    static func setDisabled(_ disabled: Bool, username: String, options: DatabaseOptions) async throws {
        try await options.withDatabase { database, configuration in
            let accounts = AccountService(
                database: database, hasher: PasswordHasher(cost: configuration.bcryptCost),
                sessionLifetime: configuration.sessionLifetime)
            do {
                let user = try await accounts.setDisabled(disabled, username: username, by: .commandLine)
                print("已\(disabled ? "停用" : "启用")用户 \(user.username)")
            } catch let error as DomainError {
                throw DataError(error.message)
            }
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Demo data for trying Chuqing out.", subcommands: [Load.self, Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write generated cases as a case-export CSV (for trying the importer and for benchmarks); touches no database.")
        @Option(help: "How many cases.") var count = 400
        @Option(help: "Seed of the generator (the same seed gives the same file).") var seed: UInt64 = 20_260_913
        @Argument(help: "Where to write the CSV.") var file: String

        func run() async throws {
            var text = ""
            for record in DemoCases.records(count: count, seed: seed) {
                text += record.fields.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: ",") + "\n"
            }
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            print("已写出 \(count) 件案件到 \(file)")
        }
    }

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the demo data (once; later runs change nothing) and print the demo logins.")
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            try await options.withDatabase { database, configuration in
                let accounts = AccountService(
                    database: database, hasher: PasswordHasher(cost: configuration.bcryptCost),
                    sessionLifetime: configuration.sessionLifetime)
                let loaded = try await DemoData.load(into: accounts, database: database, home: configuration.home)
                print(loaded ? "已载入演示数据。" : "演示数据已存在，未重复载入。")
                print("演示账号（仅用于演示数据库）：")
                for login in DemoData.logins {
                    print(
                        "  \(login.role.chineseName.padding(toLength: 6, withPad: "　", startingAt: 0))  用户名 \(login.username.padding(toLength: 9, withPad: " ", startingAt: 0))  密码 \(login.password)"
                    )
                }
                print("  其他承办法官：\(DemoData.otherJudges.map { "\($0.name)（\($0.username)）" }.joined(separator: "、"))，密码同 judge")
                print(
                    "  高兴镇其他联络员：\(DemoData.otherLiaisons.map { "\($0.name)（\($0.kind.chinese)，\($0.village)，\($0.username)）" }.joined(separator: "、"))，密码同 liaison"
                )
            }
        }
    }
}

struct Lookups: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Asset look-ups.", subcommands: [RunDue.self])

    struct RunDue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run-due",
            abstract: "Run every six-monthly look-up due after 终本 (法〔2016〕373号 art. 9), all enabled categories, and wait for the answers.",
            discussion:
                "Asks the exchange configured by CHUQING_EXCHANGE_URL / CHUQING_EXCHANGES, and the extracts loaded for categories answered by snapshot. Run it daily (cron); a look-up already made in the last six months is not repeated."
        )
        @OptionGroup var options: DatabaseOptions
        @Option(
            name: .customLong("approved-by"),
            help: "The director (username) who approved this run; required when CHUQING_LOOKUP_APPROVAL=director.")
        var approvedBy: String?

        func run() async throws {
            try await options.withDatabase { database, configuration in
                var logger = Logger(label: "chuqing.lookups")
                logger.logLevel = configuration.logLevel
                let done: [StoredLookup]
                do {
                    done = try await AssetLookupService.standard(database: database, configuration: configuration, logger: logger)
                        .runDue(approvedBy: approvedBy, by: .commandLine)
                } catch let error as DomainError {
                    throw DataError(error.message)
                }
                let nothing = done.filter { $0.categories.allSatisfy { $0.status == "answered" && $0.findings.isEmpty } }.count
                let incomplete = done.filter { $0.categories.contains { $0.status != "answered" } }.count
                print("定期查询 \(done.count) 次：未发现财产 \(nothing) 次，有类别失败或超时 \(incomplete) 次")
            }
        }
    }
}

struct ExchangeSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange-sim",
        abstract: "Serve a simulated data exchange for all 13 categories on loopback (tests, demo, benchmarks).",
        discussion:
            "Speaks docs/connector-protocol.md at POST /categories/{code}/query. Point Chuqing at it with CHUQING_EXCHANGE_URL=http://127.0.0.1:PORT."
    )
    @Option(help: "Port to listen on (127.0.0.1).") var port = 9090
    @Option(name: .customLong("default-latency"), help: "Milliseconds before each answer (default 20).") var defaultLatency = 20
    @Option(help: "CODE=MS: this category answers after MS milliseconds (repeatable).") var latency: [String] = []
    @Option(name: .customLong("failure-rate"), help: "CODE=R: this share (0–1) of answers are an error page or garbage (repeatable).")
    var failureRate: [String] = []
    @Option(help: "CODE: this category never answers (repeatable).") var hang: [String] = []

    func run() async throws {
        var simulator = ExchangeSimulator()
        guard (0...600_000).contains(defaultLatency) else { throw ValidationError("--default-latency 须为 0–600000 毫秒") }
        simulator.defaultLatency = .milliseconds(defaultLatency)
        for item in latency {
            let (code, value) = try Self.pair(item, option: "--latency")
            guard let ms = Int(value), (0...600_000).contains(ms) else { throw ValidationError("--latency \(item)：毫秒数须为 0–600000 的整数") }
            simulator.latency[code] = .milliseconds(ms)
        }
        for item in failureRate {
            let (code, value) = try Self.pair(item, option: "--failure-rate")
            guard let rate = Double(value), (0...1).contains(rate) else { throw ValidationError("--failure-rate \(item)：比例须为 0 到 1 之间的数") }
            simulator.failureRate[code] = rate
        }
        simulator.hanging = Set(hang)
        var logger = Logger(label: "chuqing.exchange-sim")
        logger.logLevel = .warning
        print("模拟数据交换接口：http://127.0.0.1:\(port)（Ctrl-C 停止）")
        try await simulator.application(port: port, logger: logger).runService()
    }

    static func pair(_ text: String, option: String) throws -> (String, String) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("\(option) \(text)：格式须为 类别代码=值（如 realEstate=200）") }
        return (parts[0], parts[1])
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import data files.", subcommands: [Cases.self, Villages.self, Snapshot.self])

    struct Snapshot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a department's extract file for a data category; the snapshot connector answers look-ups from it.",
            discussion:
                "UTF-8 CSV, first row the column names: 证件号码,姓名或名称,财产种类,描述 (required), 标识,价值（元）,权利人 (optional); English names idNumber,name,kind,description,identifier,valueYuan,holder also work. All or nothing: a bad row refuses the file, naming every bad row. The new extract replaces the category's previous one. See docs/connector-protocol.md."
        )
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The data category's code (realEstate, utilities…).") var category: String
        @Argument(help: "The CSV file.") var file: String
        @Option(name: .customLong("extracted-on"), help: "The day the department made the extract (YYYY-MM-DD; default today).")
        var extractedOn: String?

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw DataError("读不到文件「\(file)」") }
            let day: CalendarDate?
            do { day = try extractedOn.map { try CalendarDate.parse($0, field: "--extracted-on") } } catch let error as DomainError {
                throw DataError(error.message)
            }
            let result = try await options.withDatabase { database, configuration in
                do {
                    return try await AssetLookupService.standard(
                        database: database, configuration: configuration, logger: Logger(label: "chuqing.snapshots")
                    ).loadExtract(
                        data, category: category, fileName: URL(fileURLWithPath: file).lastPathComponent, extractedOn: day, by: .commandLine
                    )
                } catch let error as DomainError {
                    throw DataError(error.message)
                }
            }
            print("已导入「\(category)」的数据提取文件：\(result.snapshot.rows) 行，提取日期 \(result.snapshot.extractedOn)，SHA-256 \(result.snapshot.digest)")
            if !result.categoryUsesSnapshot {
                print(
                    "注意：该类别目前由数据交换接口答复；要改由提取文件答复，请管理员把连接器改为 snapshot（PATCH /api/v1/data-categories/\(category) {\"connector\": \"snapshot\"}）"
                )
            }
        }
    }

    struct Villages: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register the villages (行政村/社区) of the county's townships from a CSV list.",
            discussion:
                "UTF-8 CSV, one village a row: 乡镇,村（社区）. The township by name (高兴镇) or code (360732-05); a first row 乡镇,村（社区） is skipped. All or nothing; villages already registered are left as they are, so the same list can be imported again."
        )
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw DataError("读不到文件「\(file)」") }
            var text = String(decoding: data, as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            let records: [CSVReader.Record]
            do { records = try CSVReader.records(text) } catch let error as CSVReader.UnterminatedQuote {
                throw DataError("第 \(error.row) 行的引号没有闭合")
            }
            let result = try await options.withDatabase { database, _ in
                do {
                    return try await VillageRepository(database: database).importList(
                        records,
                        audit: AuditEntry(
                            occurredAt: Date(), actorID: nil, actorUsername: "命令行", action: "village.import", entity: "township",
                            entityID: nil, detail: file),
                        now: Date())
                } catch let error as DomainError {
                    throw DataError(error.message)
                }
            }
            print("新增村（社区）\(result.added) 个，已登记的 \(result.existing) 个未重复登记")
        }
    }

    struct Cases: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a court's case export (CSV or XLSX, format of shared/formats/case-export.md).",
            discussion:
                "Idempotent by case number: running the same file again changes nothing. Cases are written in transactions of --chunk-size cases, so an interrupted import leaves only whole cases and can simply be run again."
        )
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The XLSX file, or CSV (UTF-8, with or without BOM).") var file: String
        @Flag(name: .customLong("dry-run"), help: "Check and count, write nothing.") var dryRun = false
        @Flag(name: .customLong("all-or-nothing"), help: "Write nothing unless every row is valid.") var allOrNothing = false
        @Option(name: .customLong("chunk-size"), help: "Cases per transaction, 1–5000 (default 500).") var chunkSize = 500
        @Option(name: .customLong("as"), help: "Import with this user's rights (a judge: only their own cases); default: the whole court.")
        var asUser: String?

        func validate() throws {
            guard (1...5_000).contains(chunkSize) else {
                throw ValidationError("--chunk-size 须为 1 至 5000（收到 \(chunkSize)）")
            }
        }

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw DataError("读不到文件「\(file)」") }
            let file: CaseExportFile
            do { file = try CaseExportFile(data) } catch {
                throw DataError(error.message)
            }
            let showProgress = isatty(STDERR_FILENO) == 1
            let asUser = asUser
            let dryRun = dryRun
            let allOrNothing = allOrNothing
            let chunkSize = chunkSize
            let report = try await options.withDatabase { database, _ in
                var actor = ActingUser.commandLine
                if let asUser {
                    guard let username = try? Username(asUser),
                        let stored = try await SQLUserRepository().find(username: username, on: database.sql), !stored.user.isDisabled
                    else {
                        throw DataError("--as \(asUser)：没有这个在用的账号")
                    }
                    guard stored.user.may(.importCases) else {
                        throw DataError("--as \(asUser)：\(stored.user.role.chineseName)无权导入案件（可导入：执行局长、承办法官、书记员）")
                    }
                    actor = .commandLine(as: stored.user)
                }
                do {
                    return try await ImportService(database: database).importCases(
                        file, options: CaseImportOptions(dryRun: dryRun, allOrNothing: allOrNothing), casesPerChunk: chunkSize,
                        progress: showProgress ? ProgressBar.draw : nil, by: actor)
                } catch let error as DomainError {
                    throw DataError(error.message)
                }
            }
            if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
            print("按 \(file.format) 读取。")
            print(
                "读取 \(report.rowsRead) 行：新增 \(report.casesCreated) 件，更新 \(report.casesUpdated) 件，未变 \(report.unchanged) 件，拒绝 \(report.rowsRejected) 行\(report.committed ? "" : "（未写入数据库）")"
            )
            for warning in report.warnings { print("提示：\(warning)") }
            for rejection in report.rejections {
                print("第 \(rejection.row) 行，\(rejection.column)「\(rejection.value)」：\(rejection.reason)")
            }
            if report.rowsRejected > 0 { throw ExitCode(2) }
        }
    }
}

/// A one-line progress bar on standard error, for terminals.
enum ProgressBar {
    @Sendable static func draw(done: Int, total: Int) {
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r导入中 \(bar) \(done)/\(total) 件".utf8))
    }
}

/// A problem with the data a command was given (a file, a value it read), not with how the command
/// was typed: printed as `Error: …` without the usage text, exit status 1.
struct DataError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

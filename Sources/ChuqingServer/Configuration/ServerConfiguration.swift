import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Logging

/// Every setting of a running Chuqing, read in one place.
///
/// Each setting comes from a command-line flag if given, else from its environment variable, else
/// its default. An unknown `CHUQING_*` variable or a malformed value stops start-up with a message
/// naming the setting. `docs/operations.md` lists them all.
public struct ServerConfiguration: Sendable {
    /// `DATABASE_URL`: where the data lives.
    public var databaseURL: DatabaseURL = .default
    /// `CHUQING_HOSTNAME` / `--hostname`: the address to listen on.
    public var hostname: String = "127.0.0.1"
    /// `CHUQING_PORT` / `--port`.
    public var port: Int = 8080
    /// `CHUQING_LOG_LEVEL` / `--log-level`: trace, debug, info, notice, warning, error, critical.
    public var logLevel: Logger.Level = .info
    /// `CHUQING_HOME`: the folder holding `Templates/` and `Migrations/` (found by searching up from
    /// the working directory and the executable when not set).
    public var home: URL? = nil
    /// `CHUQING_BCRYPT_COST`: bcrypt work factor, 10–16 (tests use 4 through `AppArguments`).
    public var bcryptCost: Int = 12
    /// `CHUQING_SESSION_HOURS`: how long a login lasts.
    public var sessionLifetime: Duration = .seconds(12 * 3600)
    /// `CHUQING_SECURE_COOKIES`: mark cookies `Secure` (set `true` when served over HTTPS).
    public var secureCookies: Bool = false
    /// `CHUQING_MAX_BODY_BYTES`: largest request body a route reads (413 beyond it).
    public var maxBodyBytes: Int = 1 << 20
    /// `CHUQING_DATABASE_TIMEOUT_SECONDS`: how long start-up and `/readyz` wait for the database.
    public var databaseTimeout: Duration = .seconds(5)
    /// `CHUQING_IDLE_DAYS`: a case in an open batch with no payment, measure or status change for
    /// this many days is listed on its judge's home page (local practice; 14 by default).
    public var idleDays: Int = 14
    /// `CHUQING_DOCUMENT_TEMPLATES`: a folder whose files replace those of `Templates/documents/`
    /// by name (a court's own stylesheets), plus `court-header.txt` and `court-logo.png|jpg|svg`.
    public var documentTemplates: URL? = nil
    /// `CHUQING_EXCHANGE_URL`, `CHUQING_EXCHANGE_TOKEN`, `CHUQING_EXCHANGES`: where the data
    /// categories' exchanges answer (see `ExchangeConfiguration`).
    public var exchange = ExchangeConfiguration()
    /// `CHUQING_LOOKUP_APPROVAL`: `director` makes a judge's asset look-up wait for the director's
    /// approval; `none` (the default) asks at once.
    public var lookupApproval: AssetLookup.Approval = .none
    /// `CHUQING_TRUSTED_PROXIES`: reverse proxies (addresses or CIDR ranges, comma-separated) whose
    /// `X-Forwarded-For` names the caller; none by default, so the header is ignored.
    public var trustedProxies: TrustedProxies = .none
    /// `CHUQING_SCHEDULER`: `on` (the default) runs the scheduler inside `serve`; `off` leaves
    /// the jobs to another server process on the same database.
    public var schedulerEnabled = true
    /// `CHUQING_SCHEDULER_HOUR` (China Standard Time, default 1), `CHUQING_SCHEDULER_POLL_SECONDS`
    /// (5), `CHUQING_SCHEDULER_LEASE_SECONDS` (300), `CHUQING_SCHEDULER_WORKERS` (2).
    public var scheduler = SchedulerSettings()
    /// `CHUQING_SMS_*`, `CHUQING_WECHAT_*`: the court's gateways reminders are delivered through
    /// (docs/gateway-protocol.md); none: the inbox alone.
    public var gateways = GatewayConfiguration()
    /// `CHUQING_PUSH_DAYS` (30), `CHUQING_ESCALATION` (`manual` or `automatic`),
    /// `CHUQING_ESCALATION_BODIES` (县纪委监委,县委组织部): the public-officials team's local
    /// practice (rules-next §1 rule 7).
    public var pushes = PushSettings()

    public init() {}

    /// The environment variables this configuration reads.
    public static let environmentVariables: [String] = [
        "DATABASE_URL", "CHUQING_HOSTNAME", "CHUQING_PORT", "CHUQING_LOG_LEVEL", "CHUQING_HOME",
        "CHUQING_BCRYPT_COST", "CHUQING_SESSION_HOURS", "CHUQING_SECURE_COOKIES", "CHUQING_MAX_BODY_BYTES",
        "CHUQING_DATABASE_TIMEOUT_SECONDS", "CHUQING_IDLE_DAYS", "CHUQING_DOCUMENT_TEMPLATES",
        "CHUQING_EXCHANGE_URL", "CHUQING_EXCHANGE_TOKEN", "CHUQING_EXCHANGES", "CHUQING_LOOKUP_APPROVAL",
        "CHUQING_TRUSTED_PROXIES", "CHUQING_SCHEDULER", "CHUQING_SCHEDULER_HOUR", "CHUQING_SCHEDULER_POLL_SECONDS",
        "CHUQING_SCHEDULER_LEASE_SECONDS", "CHUQING_SCHEDULER_WORKERS", "CHUQING_SMS_URL", "CHUQING_SMS_TOKEN",
        "CHUQING_WECHAT_URL", "CHUQING_WECHAT_TOKEN", "CHUQING_SMS_SIGNATURE", "CHUQING_PUSH_DAYS", "CHUQING_ESCALATION",
        "CHUQING_ESCALATION_BODIES",
    ]

    /// Reads the environment; throws `ConfigurationError` naming the first bad setting.
    public init(environment: [String: String]) throws(ConfigurationError) {
        for key in environment.keys where key.hasPrefix("CHUQING_") && !key.hasPrefix("CHUQING_TEST_") {
            guard Self.environmentVariables.contains(key) else {
                throw ConfigurationError(
                    setting: key, value: environment[key] ?? "",
                    reason: "未知的配置项。可用的配置项：\(Self.environmentVariables.joined(separator: "、"))")
            }
        }
        if let value = environment["DATABASE_URL"], !value.isEmpty { databaseURL = try DatabaseURL(parsing: value) }
        if let value = environment["CHUQING_HOSTNAME"] { try setHostname(value, setting: "CHUQING_HOSTNAME") }
        if let value = environment["CHUQING_PORT"] { try setPort(value, setting: "CHUQING_PORT") }
        if let value = environment["CHUQING_LOG_LEVEL"] { try setLogLevel(value, setting: "CHUQING_LOG_LEVEL") }
        if let value = environment["CHUQING_HOME"] { home = URL(fileURLWithPath: value) }
        if let value = environment["CHUQING_DOCUMENT_TEMPLATES"], !value.isEmpty {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: value, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ConfigurationError(
                    setting: "CHUQING_DOCUMENT_TEMPLATES", value: value, reason: "须为已存在的目录（其中的同名文件替换 Templates/documents/ 中的模板）")
            }
            documentTemplates = URL(fileURLWithPath: value)
        }
        if let value = environment["CHUQING_EXCHANGE_URL"], !value.isEmpty {
            exchange.defaultURL = try ExchangeConfiguration.url(value, setting: "CHUQING_EXCHANGE_URL")
        }
        if let value = environment["CHUQING_EXCHANGE_TOKEN"], !value.isEmpty { exchange.defaultToken = value }
        if let value = environment["CHUQING_EXCHANGES"], !value.isEmpty {
            exchange.perCategory = try ExchangeConfiguration.categories(file: value)
        }
        if let value = environment["CHUQING_LOOKUP_APPROVAL"], !value.isEmpty {
            guard let approval = AssetLookup.Approval(rawValue: value.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ConfigurationError(
                    setting: "CHUQING_LOOKUP_APPROVAL", value: value,
                    reason: "只能是 none（财产查询无需审批）或 director（法官发起的查询须经院领导批准）")
            }
            lookupApproval = approval
        }
        if let value = environment["CHUQING_TRUSTED_PROXIES"] { trustedProxies = try TrustedProxies(parsing: value) }
        if let value = environment["CHUQING_BCRYPT_COST"] {
            bcryptCost = try Self.integer(value, in: 10...16, setting: "CHUQING_BCRYPT_COST")
        }
        if let value = environment["CHUQING_IDLE_DAYS"] {
            idleDays = try Self.integer(value, in: 1...365, setting: "CHUQING_IDLE_DAYS")
        }
        if let value = environment["CHUQING_SESSION_HOURS"] {
            sessionLifetime = .seconds(try Self.integer(value, in: 1...720, setting: "CHUQING_SESSION_HOURS") * 3600)
        }
        if let value = environment["CHUQING_SECURE_COOKIES"] {
            switch value.lowercased() {
            case "true", "1", "yes": secureCookies = true
            case "false", "0", "no": secureCookies = false
            default: throw ConfigurationError(setting: "CHUQING_SECURE_COOKIES", value: value, reason: "只能是 true 或 false")
            }
        }
        if let value = environment["CHUQING_MAX_BODY_BYTES"] {
            maxBodyBytes = try Self.integer(value, in: 1024...(256 << 20), setting: "CHUQING_MAX_BODY_BYTES")
        }
        if let value = environment["CHUQING_DATABASE_TIMEOUT_SECONDS"] {
            databaseTimeout = .seconds(try Self.integer(value, in: 1...120, setting: "CHUQING_DATABASE_TIMEOUT_SECONDS"))
        }
        if let value = environment["CHUQING_SCHEDULER"] {
            switch value.lowercased() {
            case "on", "true", "1": schedulerEnabled = true
            case "off", "false", "0": schedulerEnabled = false
            default:
                throw ConfigurationError(
                    setting: "CHUQING_SCHEDULER", value: value, reason: "只能是 on（本进程运行定时任务）或 off（由同一数据库上的其他进程运行）")
            }
        }
        if let value = environment["CHUQING_SCHEDULER_HOUR"] {
            scheduler.dailyHour = try Self.integer(value, in: 0...23, setting: "CHUQING_SCHEDULER_HOUR")
        }
        if let value = environment["CHUQING_SCHEDULER_POLL_SECONDS"] {
            scheduler.pollInterval = .seconds(try Self.integer(value, in: 1...3600, setting: "CHUQING_SCHEDULER_POLL_SECONDS"))
        }
        if let value = environment["CHUQING_SCHEDULER_LEASE_SECONDS"] {
            scheduler.lease = TimeInterval(try Self.integer(value, in: 5...86_400, setting: "CHUQING_SCHEDULER_LEASE_SECONDS"))
        }
        if let value = environment["CHUQING_SCHEDULER_WORKERS"] {
            scheduler.workers = try Self.integer(value, in: 1...16, setting: "CHUQING_SCHEDULER_WORKERS")
        }
        try gateways.read(environment)
        if let value = environment["CHUQING_PUSH_DAYS"] {
            pushes.days = try Self.integer(value, in: 1...365, setting: "CHUQING_PUSH_DAYS")
        }
        if let value = environment["CHUQING_ESCALATION"], !value.isEmpty {
            guard let mode = EscalationMode(rawValue: value.trimmed.lowercased()) else {
                throw ConfigurationError(
                    setting: "CHUQING_ESCALATION", value: value,
                    reason: "只能是 manual（逾期后列入待移送，由承办人点击生成移送函）或 automatic（逾期次日由定时任务自动生成移送函）")
            }
            pushes.escalation = mode
        }
        if let value = environment["CHUQING_ESCALATION_BODIES"] {
            let bodies = value.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" }).map { String($0).trimmed }.filter {
                !$0.isEmpty
            }
            guard (1...10).contains(bodies.count), bodies.allSatisfy({ $0.count <= 50 }) else {
                throw ConfigurationError(
                    setting: "CHUQING_ESCALATION_BODIES", value: value, reason: "须为 1 至 10 个接收移送函的单位，用逗号分隔，例如 县纪委监委,县委组织部")
            }
            pushes.bodies = bodies
        }
    }

    /// Applies `--hostname`.
    public mutating func setHostname(_ value: String, setting: String = "--hostname") throws(ConfigurationError) {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.contains(" "), !trimmed.contains("/") else {
            throw ConfigurationError(setting: setting, value: value, reason: "须为 IP 地址或主机名，例如 127.0.0.1")
        }
        hostname = trimmed
    }

    /// Applies `--port`.
    public mutating func setPort(_ value: String, setting: String = "--port") throws(ConfigurationError) {
        port = try Self.integer(value, in: 0...65535, setting: setting)
    }

    /// Applies `--log-level`.
    public mutating func setLogLevel(_ value: String, setting: String = "--log-level") throws(ConfigurationError) {
        guard let level = Logger.Level(rawValue: value.lowercased()) else {
            throw ConfigurationError(
                setting: setting, value: value,
                reason: "可用级别：\(Logger.Level.allCases.map(\.rawValue).joined(separator: "、"))")
        }
        logLevel = level
    }

    static func integer(_ value: String, in range: ClosedRange<Int>, setting: String) throws(ConfigurationError) -> Int {
        guard let number = Int(value.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
            throw ConfigurationError(setting: setting, value: value, reason: "须为 \(range.lowerBound)–\(range.upperBound) 之间的整数")
        }
        return number
    }
}

/// Finds `Templates/` and `Migrations/` at run time.
public enum ResourceLocator {
    /// The folder that holds both `Templates/` and `Migrations/`: `configured` if given, else the
    /// first such folder found searching up from the working directory, then from the executable.
    public static func home(configured: URL?) throws -> URL {
        if let configured {
            guard isHome(configured) else {
                throw ConfigurationError(setting: "CHUQING_HOME", value: configured.path, reason: "该目录下没有 Templates/ 和 Migrations/")
            }
            return configured
        }
        let starts = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent(),
        ]
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                if isHome(folder) { return folder }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        throw ConfigurationError(
            setting: "CHUQING_HOME", value: "",
            reason: "找不到 Templates/ 和 Migrations/：请在仓库目录中运行，或设置 CHUQING_HOME")
    }

    private static func isHome(_ folder: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return ["Templates", "Migrations"].allSatisfy {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
    }
}

import Foundation

/// Where the data lives, parsed from `DATABASE_URL`.
///
/// Accepted forms: `sqlite:var/chuqing.sqlite` (a file, relative to the working directory or
/// absolute), `sqlite::memory:` (a private in-memory database, for tests and trials), and
/// `postgres://user:password@host:port/database` (also `postgresql://`; `?sslmode=disable|prefer|require`).
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(PostgresTarget)

    /// The connection details of a PostgreSQL server.
    public struct PostgresTarget: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        public var sslMode: SSLMode

        /// How TLS is used towards the server (libpq's names).
        public enum SSLMode: String, Sendable, Equatable {
            case disable, prefer, require
        }

        public init(host: String, port: Int = 5432, username: String, password: String?, database: String, sslMode: SSLMode = .prefer) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.sslMode = sslMode
        }
    }

    /// The embedded default.
    public static let `default` = DatabaseURL.sqliteFile(path: "var/chuqing.sqlite")

    /// Parses a `DATABASE_URL` value; the error names the setting and the accepted forms.
    public init(parsing text: String) throws(ConfigurationError) {
        let accepted = "可用形式：sqlite:var/chuqing.sqlite、sqlite::memory:、postgres://用户:密码@主机:端口/数据库"
        let value = text.trimmingCharacters(in: .whitespaces)
        if value == "sqlite::memory:" {
            self = .sqliteMemory
            return
        }
        if value.hasPrefix("sqlite:") {
            let path = String(value.dropFirst("sqlite:".count))
            guard !path.isEmpty, !path.hasPrefix(":") else {
                throw ConfigurationError(setting: "DATABASE_URL", value: text, reason: "SQLite 文件路径为空。\(accepted)")
            }
            self = .sqliteFile(path: path)
            return
        }
        guard value.hasPrefix("postgres://") || value.hasPrefix("postgresql://"),
            let components = URLComponents(string: value)
        else {
            throw ConfigurationError(setting: "DATABASE_URL", value: text, reason: "无法识别的数据库地址。\(accepted)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ConfigurationError(setting: "DATABASE_URL", value: text, reason: "缺少 PostgreSQL 主机名。\(accepted)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ConfigurationError(setting: "DATABASE_URL", value: text, reason: "缺少 PostgreSQL 用户名。\(accepted)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw ConfigurationError(setting: "DATABASE_URL", value: text, reason: "缺少数据库名。\(accepted)")
        }
        var sslMode = PostgresTarget.SSLMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(PostgresTarget.SSLMode.init(rawValue:)) else {
                    throw ConfigurationError(setting: "DATABASE_URL", value: text, reason: "sslmode 只能是 disable、prefer 或 require")
                }
                sslMode = mode
            default:
                throw ConfigurationError(setting: "DATABASE_URL", value: text, reason: "不支持的参数「\(item.name)」；只支持 sslmode")
            }
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw ConfigurationError(setting: "DATABASE_URL", value: text, reason: "端口须在 1–65535 之间")
        }
        self = .postgres(
            PostgresTarget(
                host: host,
                port: components.port ?? 5432,
                username: user.removingPercentEncoding ?? user,
                password: components.password.map { $0.removingPercentEncoding ?? $0 },
                database: database,
                sslMode: sslMode
            ))
    }

    /// The engine this URL selects.
    public var engine: DatabaseEngine {
        switch self {
        case .sqliteFile, .sqliteMemory: .sqlite
        case .postgres: .postgres
        }
    }

    /// The URL with any password hidden, safe for logs.
    public var description: String {
        switch self {
        case .sqliteFile(let path): "sqlite:\(path)"
        case .sqliteMemory: "sqlite::memory:"
        case .postgres(let t): "postgres://\(t.username)\(t.password == nil ? "" : ":***")@\(t.host):\(t.port)/\(t.database)"
        }
    }
}

/// The two engines Chuqing runs on, with one SQL code path.
public enum DatabaseEngine: String, Sendable, CaseIterable {
    case sqlite
    case postgres
}

/// A setting that is unknown or malformed; start-up stops with this message.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The setting's name as the operator writes it (`DATABASE_URL`, `--port`).
    public let setting: String
    /// The value that was given.
    public let value: String
    /// Why it is not accepted and what is.
    public let reason: String

    public init(setting: String, value: String, reason: String) {
        self.setting = setting
        self.value = value
        self.reason = reason
    }

    public var description: String { "配置项 \(setting) 的值「\(value)」无效：\(reason)" }
}

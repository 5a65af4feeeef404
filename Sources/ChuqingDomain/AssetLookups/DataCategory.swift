import Foundation

/// A category of data another department shares with the court (共享数据类别): real estate,
/// business registration, vehicles… Categories are data, not code: an admin adds, renames or
/// disables one without a build (rules.md §4: one entry per source, with its channel).
public struct DataCategory: Sendable, Equatable, Codable {
    /// How the court reaches the department (rules.md §4).
    public enum Channel: String, CaseIterable, Codable, Sendable {
        /// 点对点: the local exchange with county and provincial departments.
        case pointToPoint
        /// 总对总: the national system (SPC to central agencies and bank head offices).
        case national
        /// 人工: asked by letter or visit; the answer is entered by hand.
        case manual

        public var chinese: String {
            switch self {
            case .pointToPoint: "点对点"
            case .national: "总对总"
            case .manual: "人工"
            }
        }
    }

    /// What answers the category's questions.
    public enum Connector: String, CaseIterable, Codable, Sendable {
        /// An HTTP JSON exchange (docs/connector-protocol.md): a department's, or `chuqing exchange-sim`.
        case exchange
        /// Extract files the department hands over (`chuqing import snapshot`).
        case snapshot

        public var chinese: String {
            switch self {
            case .exchange: "数据交换接口"
            case .snapshot: "数据提取文件"
            }
        }
    }

    public let code: String
    public var name: String
    public var department: String
    public var channel: Channel
    public var connector: Connector
    /// How long one attempt may take.
    public var timeoutMilliseconds: Int
    /// Further attempts after a failure or a timeout (0 = ask once).
    public var retries: Int
    public var isEnabled: Bool
    /// Whether the category answers with property (不动产, 存款, …) rather than information (婚姻,
    /// 户籍, 社保, 水电气缴费): only property categories count for 法释〔2017〕7号 art. 10(4).
    public var isProperty: Bool
    /// Order on screens.
    public var position: Int

    enum CodingKeys: String, CodingKey {
        case code, name, department, channel, connector, timeoutMilliseconds, retries, position, isProperty
        case isEnabled = "enabled"
    }

    public init(
        code: String, name: String, department: String, channel: Channel, connector: Connector, timeoutMilliseconds: Int = 5_000,
        retries: Int = 1, isEnabled: Bool = true, isProperty: Bool = true, position: Int = 0
    ) {
        self.code = code
        self.name = name
        self.department = department
        self.channel = channel
        self.connector = connector
        self.timeoutMilliseconds = timeoutMilliseconds
        self.retries = retries
        self.isEnabled = isEnabled
        self.isProperty = isProperty
        self.position = position
    }

    /// Checks every field, with the rule in the message.
    public func validate() throws(DomainError) {
        let first = code.unicodeScalars.first
        guard (2...40).contains(code.count), let first, ("a"..."z").contains(first),
            code.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) })
        else {
            throw DomainError(
                code: "invalid_category_code", message: "类别代码「\(code)」不合规：须为 2–40 位英文字母或数字，以小写字母开头（如 realEstate）",
                field: "code")
        }
        guard !name.trimmed.isEmpty, name.trimmed.count <= 40 else {
            throw DomainError(code: "invalid_category_name", message: "类别名称须为 1–40 个字（收到「\(name)」）", field: "name")
        }
        guard !department.trimmed.isEmpty, department.trimmed.count <= 60 else {
            throw DomainError(code: "invalid_department", message: "提供部门须为 1–60 个字（收到「\(department)」）", field: "department")
        }
        guard (100...600_000).contains(timeoutMilliseconds) else {
            throw DomainError(
                code: "invalid_timeout", message: "超时须为 100–600000 毫秒（收到 \(timeoutMilliseconds)）", field: "timeoutMilliseconds")
        }
        guard (0...5).contains(retries) else {
            throw DomainError(code: "invalid_retries", message: "重试次数须为 0–5（收到 \(retries)）", field: "retries")
        }
    }
}

extension DataCategory.Channel {
    /// Reads a channel by its API and form name.
    public static func parse(_ text: String) throws(DomainError) -> DataCategory.Channel {
        guard let channel = DataCategory.Channel(rawValue: text) else {
            throw DomainError(
                code: "unknown_channel", message: "渠道「\(text)」无法识别；可用：pointToPoint（点对点）、national（总对总）、manual（人工）",
                field: "channel")
        }
        return channel
    }
}

extension DataCategory.Connector {
    /// Reads a connector by its API and form name.
    public static func parse(_ text: String) throws(DomainError) -> DataCategory.Connector {
        guard let connector = DataCategory.Connector(rawValue: text) else {
            throw DomainError(
                code: "unknown_connector", message: "连接器「\(text)」无法识别；可用：exchange（数据交换接口）、snapshot（数据提取文件）",
                field: "connector")
        }
        return connector
    }
}

import ChuqingPersistence
import Foundation

/// Where each data category's exchange answers (docs/connector-protocol.md), and the credential
/// the court presents to it: `CHUQING_EXCHANGE_URL` and `CHUQING_EXCHANGE_TOKEN` for every
/// category, and `CHUQING_EXCHANGES`, a JSON file `{"realEstate": {"url": …, "token": …}, …}` for
/// the categories a department serves elsewhere.
public struct ExchangeConfiguration: Sendable, Equatable {
    public struct Endpoint: Sendable, Equatable, Decodable {
        public let url: String
        public let token: String?
    }

    public var defaultURL: URL?
    public var defaultToken: String?
    public var perCategory: [String: Endpoint] = [:]

    public init(defaultURL: URL? = nil, defaultToken: String? = nil, perCategory: [String: Endpoint] = [:]) {
        self.defaultURL = defaultURL
        self.defaultToken = defaultToken
        self.perCategory = perCategory
    }

    /// The address to ask about `category`, and the token to send; nil when none is configured.
    public func endpoint(for category: String) -> (url: URL, token: String?)? {
        if let endpoint = perCategory[category], let url = URL(string: endpoint.url) { return (url, endpoint.token) }
        guard let base = defaultURL else { return nil }
        return (base.appendingPathComponent("categories").appendingPathComponent(category).appendingPathComponent("query"), defaultToken)
    }

    /// Checks an exchange address: http or https with a host.
    static func url(_ text: String, setting: String) throws(ConfigurationError) -> URL {
        guard let url = URL(string: text.trimmingCharacters(in: .whitespaces)), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host?.isEmpty == false
        else {
            throw ConfigurationError(setting: setting, value: text, reason: "须为 http:// 或 https:// 开头的地址，例如 http://127.0.0.1:9090")
        }
        return url
    }

    /// Reads the per-category file.
    static func categories(file: String) throws(ConfigurationError) -> [String: Endpoint] {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigurationError(setting: "CHUQING_EXCHANGES", value: file, reason: "读不到该文件")
        }
        let endpoints: [String: Endpoint]
        do { endpoints = try JSONDecoder().decode([String: Endpoint].self, from: data) } catch {
            throw ConfigurationError(
                setting: "CHUQING_EXCHANGES", value: file,
                reason: "须为 JSON 对象：{\"类别代码\": {\"url\": \"http://…\", \"token\": \"…\"}}")
        }
        for (code, endpoint) in endpoints { _ = try url(endpoint.url, setting: "CHUQING_EXCHANGES (\(code))") }
        return endpoints
    }
}

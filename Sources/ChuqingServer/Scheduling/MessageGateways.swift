import AsyncHTTPClient
import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import NIOCore

/// Where the court's SMS and WeChat gateways answer (docs/gateway-protocol.md):
/// `CHUQING_SMS_URL` / `CHUQING_SMS_TOKEN`, `CHUQING_WECHAT_URL` / `CHUQING_WECHAT_TOKEN`, and the
/// signature the texts carry, `CHUQING_SMS_SIGNATURE` (the court's name; required with a gateway,
/// since carriers refuse unsigned texts and a wrong name would mislead).
public struct GatewayConfiguration: Sendable, Equatable {
    public struct Endpoint: Sendable, Equatable {
        public let url: URL
        public let token: String?

        public init(url: URL, token: String?) {
            self.url = url
            self.token = token
        }
    }

    public var endpoints: [MessageChannel: Endpoint] = [:]
    public var signature: String?

    public init(endpoints: [MessageChannel: Endpoint] = [:], signature: String? = nil) {
        self.endpoints = endpoints
        self.signature = signature
    }

    /// Reads the settings of `environment`.
    mutating func read(_ environment: [String: String]) throws(ConfigurationError) {
        for channel in MessageChannel.allCases {
            let prefix = "CHUQING_\(channel.rawValue.uppercased())"
            guard let text = environment["\(prefix)_URL"], !text.isEmpty else { continue }
            let url = try ExchangeConfiguration.url(text, setting: "\(prefix)_URL")
            endpoints[channel] = Endpoint(url: url, token: environment["\(prefix)_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
        }
        if let text = environment["CHUQING_SMS_SIGNATURE"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard text.count <= 20, !text.contains("【"), !text.contains("】") else {
                throw ConfigurationError(setting: "CHUQING_SMS_SIGNATURE", value: text, reason: "须为法院名称，1–20 个字，不含【】（如 兴国县人民法院）")
            }
            signature = text
        }
        if let (channel, endpoint) = endpoints.sorted(by: { $0.key.rawValue > $1.key.rawValue }).first, signature == nil {
            throw ConfigurationError(
                setting: "CHUQING_SMS_SIGNATURE", value: "",
                reason:
                    "配置了\(channel.chinese)网关（CHUQING_\(channel.rawValue.uppercased())_URL=\(endpoint.url.absoluteString)）时须填写短信签名：法院名称（如 兴国县人民法院）"
            )
        }
    }
}

/// The court's gateways over HTTP (docs/gateway-protocol.md): `POST {url}` with the message and
/// its `Idempotency-Key`; 2xx with a `messageId` is taken, 400/409/410/413/422 is refused for good,
/// anything else (no answer within 10 s, 5xx, 401, 429 …) is tried again later.
struct HTTPMessageGateway: MessageGateway {
    let client: HTTPClient
    let configuration: GatewayConfiguration
    var timeout: TimeAmount = .seconds(10)

    var channels: [MessageChannel] { MessageChannel.allCases.filter { configuration.endpoints[$0] != nil } }

    struct Body: Encodable {
        let idempotencyKey: String
        let channel: String
        let to: String
        let text: String
        let reminderId: String
    }

    static let refusals: Set<UInt> = [400, 409, 410, 413, 422]

    func deliver(_ message: GatewayMessage) async -> GatewayAnswer {
        guard let endpoint = configuration.endpoints[message.channel] else {
            return .rejected(reason: "未配置\(message.channel.chinese)网关")
        }
        var request = HTTPClientRequest(url: endpoint.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: message.idempotencyKey)
        if let token = endpoint.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        do {
            let body = try JSONEncoder().encode(
                Body(
                    idempotencyKey: message.idempotencyKey, channel: message.channel.rawValue, to: message.recipient, text: message.text,
                    reminderId: message.reminderID.databaseText))
            request.body = .bytes(ByteBuffer(bytes: body))
            let response = try await client.execute(request, timeout: timeout)
            let data = Data(buffer: try await response.body.collect(upTo: 64 << 10))
            let head = String(decoding: data.prefix(120), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            switch response.status.code {
            case 200..<300:
                struct Answer: Decodable { let messageId: String }
                guard let answer = try? JSONDecoder().decode(Answer.self, from: data), !answer.messageId.isEmpty else {
                    return .failed(reason: "网关答复 HTTP \(response.status.code) 但没有 messageId：\(head)")
                }
                return .accepted(messageID: String(answer.messageId.prefix(100)))
            case let code where Self.refusals.contains(code):
                return .rejected(reason: "HTTP \(code)\(head.isEmpty ? "" : "：\(head)")")
            default:
                return .failed(reason: "HTTP \(response.status.code)\(head.isEmpty ? "" : "：\(head)")")
            }
        } catch {
            return .failed(reason: "无法连接网关：\(ExchangeConnector.describe(error))")
        }
    }
}

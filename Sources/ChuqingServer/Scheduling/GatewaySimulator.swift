import ChuqingDomain
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// `chuqing gateway-sim`: a stand-in for the court's SMS and WeChat gateways, a real HTTP server
/// on loopback speaking docs/gateway-protocol.md at `POST /messages`. It keeps what it took in
/// memory and shows it at `GET /messages`, sends each idempotency key once (a repeat is answered
/// with the first message's id), and can be slow, flaky or refuse numbers, for tests and the demo.
public struct GatewaySimulator: Sendable {
    /// how long before each answer; the message is taken first, so a sender that dies while
    /// waiting has had it taken (what the idempotency key is for)
    public var latency: Duration = .zero
    /// 0…1: the share of requests answered 503 without taking the message
    public var failureRate: Double = 0
    /// numbers the gateway does not serve (answered 422)
    public var refusing: Set<String> = []
    /// a token requests must carry as `Authorization: Bearer …`; none: no check
    public var token: String?

    public init() {}

    /// What the simulator took, shared by its routes.
    public final class Log: Sendable {
        struct Message: Sendable {
            let messageID: String
            let idempotencyKey: String
            let channel: String
            let to: String
            let text: String
            let receivedAt: Date
        }
        let state = Mutex<(messages: [Message], byKey: [String: String], requests: Int)>(([], [:], 0))
        public init() {}

        public var messageCount: Int { state.withLock { $0.messages.count } }
        public var requestCount: Int { state.withLock { $0.requests } }
    }

    struct Incoming: Decodable {
        let idempotencyKey: String?
        let channel: String
        let to: String
        let text: String
    }

    static func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The server's router (also used in-process by tests).
    public func router(log: Log = Log()) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in "ok" }
        router.get("/messages") { _, _ -> Response in
            let (messages, requests) = log.state.withLock { ($0.messages, $0.requests) }
            let formatter = ISO8601DateFormatter()
            return Self.json([
                "requests": requests,
                "messages": messages.map {
                    [
                        "messageId": $0.messageID, "idempotencyKey": $0.idempotencyKey, "channel": $0.channel, "to": $0.to, "text": $0.text,
                        "receivedAt": formatter.string(from: $0.receivedAt),
                    ]
                },
            ])
        }
        router.post("/messages") { request, context -> Response in
            log.state.withLock { $0.requests += 1 }
            if let token, request.headers[.authorization] != "Bearer \(token)" {
                return Self.json(["error": "令牌不正确"], status: .unauthorized)
            }
            if Double.random(in: 0..<1) < failureRate {
                return Self.json(["error": "网关繁忙"], status: .serviceUnavailable)
            }
            let buffer = try await request.body.collect(upTo: 64 << 10)
            guard let incoming = try? JSONDecoder().decode(Incoming.self, from: Data(buffer: buffer)) else {
                return Self.json(["error": "须为 JSON：idempotencyKey、channel、to、text"], status: .badRequest)
            }
            guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? incoming.idempotencyKey, !key.isEmpty else {
                return Self.json(["error": "缺少 Idempotency-Key"], status: .badRequest)
            }
            guard MessageChannel(rawValue: incoming.channel) != nil else {
                return Self.json(["error": "channel 须为 sms 或 wechat"], status: .unprocessableContent)
            }
            guard (try? MobileNumber.check(incoming.to, field: "to")) != nil, !refusing.contains(incoming.to) else {
                return Self.json(["error": "号码 \(incoming.to) 无法送达"], status: .unprocessableContent)
            }
            guard !incoming.text.isEmpty, incoming.text.count <= 500 else {
                return Self.json(["error": "text 须为 1–500 个字"], status: .unprocessableContent)
            }
            let (id, duplicate) = log.state.withLock { state -> (String, Bool) in
                if let id = state.byKey[key] { return (id, true) }
                let id = "sim-\(state.messages.count + 1)"
                state.byKey[key] = id
                state.messages.append(
                    .init(
                        messageID: id, idempotencyKey: key, channel: incoming.channel, to: incoming.to, text: incoming.text,
                        receivedAt: Date()))
                return (id, false)
            }
            if latency > .zero { try await Task.sleep(for: latency) }
            return Self.json(["messageId": id, "duplicate": duplicate], status: duplicate ? .ok : .created)
        }
        return router
    }

    public func application(port: Int, log: Log = Log(), logger: Logger) -> some ApplicationProtocol {
        Application(router: router(log: log), configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
    }
}

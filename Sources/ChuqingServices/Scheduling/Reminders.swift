import ChuqingDomain
import ChuqingPersistence
import Foundation

/// A message as a gateway is asked to deliver it (docs/gateway-protocol.md).
public struct GatewayMessage: Sendable {
    public let idempotencyKey: String
    public let channel: MessageChannel
    public let recipient: String
    public let text: String
    public let reminderID: UUID

    public init(idempotencyKey: String, channel: MessageChannel, recipient: String, text: String, reminderID: UUID) {
        self.idempotencyKey = idempotencyKey
        self.channel = channel
        self.recipient = recipient
        self.text = text
        self.reminderID = reminderID
    }
}

/// What a gateway said.
public enum GatewayAnswer: Sendable, Equatable {
    /// it took the message (now, or already under this idempotency key)
    case accepted(messageID: String)
    /// it will never take it (a 4xx other than 408 and 429): asking again is useless
    case rejected(reason: String)
    /// it could not take it now (no answer, 5xx, 408, 429, an answer it should not give): ask again later
    case failed(reason: String)
}

/// The court's SMS or WeChat gateway, as the delivery job sees it.
public protocol MessageGateway: Sendable {
    /// The channels a gateway is configured for; none: reminders stay in the inbox alone.
    var channels: [MessageChannel] { get }
    func deliver(_ message: GatewayMessage) async -> GatewayAnswer
}

/// No gateway configured: the inbox alone.
public struct NoGateway: MessageGateway {
    public init() {}
    public var channels: [MessageChannel] { [] }
    public func deliver(_ message: GatewayMessage) async -> GatewayAnswer { .rejected(reason: "未配置\(message.channel.chinese)网关") }
}

/// A delivery the gateway could not take now; the job tries again after its backoff.
struct DeliveryFailed: Error, CustomStringConvertible {
    let channel: MessageChannel
    let reason: String
    var description: String { "\(channel.chinese)网关暂未接收：\(reason)" }
}

/// How a reminder reaches its person (issue 17 item 4): always an inbox item; and, for a user
/// with a mobile number, an outbox message per configured gateway with its delivery job, all in
/// the transaction of the job that reminds. A reminder is one per key, so the outbox row and the
/// delivery job are too: nothing is sent twice however often the reminding job runs.
public struct Reminders: Sendable {
    public let gateway: any MessageGateway
    /// the SMS signature: the court's name, in 【】 before the text
    public let signature: String
    /// attempts before a delivery stays failed on the admin's page (≈ 2 hours with the backoff)
    public static let deliveryAttempts = 8

    public init(gateway: any MessageGateway = NoGateway(), signature: String = "人民法院") {
        self.gateway = gateway
        self.signature = signature
    }

    /// Adds `reminder` to its user's inbox and queues its deliveries; false when it existed.
    @discardableResult
    public func send(_ reminder: NewReminder, in context: JobContext) async throws -> Bool {
        guard let itemID = try await InboxRepository(database: context.database).add(reminder, now: context.now) else { return false }
        let channels = gateway.channels
        guard !channels.isEmpty, let user = try await UserRepository().find(id: reminder.userID, on: context.database.sql)?.user,
            let mobile = user.mobile, !user.isDisabled
        else { return true }
        let text = OutboxText.text(court: signature, title: reminder.title, body: reminder.body)
        for channel in channels {
            let message = try await OutboxRepository.add(
                inboxItemID: itemID, userID: user.id, channel: channel, recipient: mobile, text: text, now: context.now,
                on: context.database.sql)
            try await JobRepository.enqueue(
                kind: Self.deliveryKind, payload: Self.payload(message), dueAt: context.now, maxAttempts: Self.deliveryAttempts,
                createdBy: "job:\(context.job.id.databaseText)", dedupeKey: "\(Self.deliveryKind):\(message.databaseText)",
                now: context.now,
                on: context.database.sql)
        }
        return true
    }

    public static let deliveryKind = "outbox.deliver"

    static func payload(_ message: UUID) -> String { "{\"message\":\"\(message.databaseText)\"}" }

    static func messageID(_ payload: String) throws -> UUID {
        struct Payload: Decodable { let message: String }
        guard let data = payload.data(using: .utf8), let text = try? JSONDecoder().decode(Payload.self, from: data).message,
            let id = UUID(uuidString: text)
        else { throw DomainError(code: "bad_job_payload", message: "外发任务的内容无法读取：\(payload.prefix(80))") }
        return id
    }

    /// The delivery job: asks the gateway outside any transaction (a slow gateway holds no
    /// database connection and, on SQLite, blocks no one), then records its answer with the job's
    /// completion. A process that dies between the two asks again with the same key, and the
    /// gateway answers with the message it already took.
    public var deliveryKind: JobKind {
        JobKind(
            name: Self.deliveryKind, chinese: "外发提醒（短信、政务微信）", isDaily: false, maxAttempts: Self.deliveryAttempts,
            prepare: { [gateway] context in
                let id = try Self.messageID(context.job.payload)
                guard let message = try await OutboxRepository(database: context.database).message(id: id) else {
                    throw DomainError(code: "outbox_message_missing", message: "外发消息 \(id) 不存在")
                }
                guard message.state == .pending else { return nil }
                let answer = await gateway.deliver(
                    GatewayMessage(
                        idempotencyKey: message.idempotencyKey, channel: message.channel, recipient: message.recipient, text: message.text,
                        reminderID: message.inboxItemID))
                if case .failed(let reason) = answer { throw DeliveryFailed(channel: message.channel, reason: reason) }
                return answer
            },
            run: { context in
                let id = try Self.messageID(context.job.payload)
                switch context.prepared as? GatewayAnswer {
                case .accepted(let messageID)?:
                    try await OutboxRepository.finish(
                        id: id, as: .sent, gatewayMessageID: messageID, reason: nil, now: context.now, on: context.database.sql)
                    return JobOutcome("已由网关接收（\(messageID)）")
                case .rejected(let reason)?:
                    try await OutboxRepository.finish(
                        id: id, as: .rejected, gatewayMessageID: nil, reason: reason, now: context.now, on: context.database.sql)
                    return JobOutcome("网关拒收：\(reason)")
                case .failed?, nil:
                    return JobOutcome("此前已发送，不再重发")
                }
            })
    }
}

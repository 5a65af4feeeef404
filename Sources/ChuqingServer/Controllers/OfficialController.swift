import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// `/api/v1/official-pushes`: the 涉公职人员案件组's 通报函 to employers, their replies, and the
/// 移送函 once a deadline passed unperformed (issue 18 item 1).
struct OfficialController {
    let officials: OfficialService
    let notices: NoticeRendering

    struct NewPush: Decodable {
        let caseId: UUID
        let debtorId: UUID
        let recipient: String?
        let sentOn: CalendarDate
    }

    struct NewReply: Decodable {
        /// `acknowledged` (回执) or `replied` (回复, with `text`).
        let kind: String
        let on: CalendarDate
        let text: String?

        var reply: OfficialService.Reply {
            get throws(DomainError) {
                switch kind.trimmed {
                case "acknowledged", "回执": return .acknowledged(on: on)
                case "replied", "回复": return .replied(on: on, text: text ?? "")
                default:
                    throw DomainError(
                        code: "unknown_reply_kind", message: "kind 只能是 acknowledged（回执）或 replied（回复）（收到「\(kind)」）", field: "kind")
                }
            }
        }
    }

    struct Escalation: Decodable {
        let on: CalendarDate
    }

    struct PushList: Encodable {
        let items: [OfficialPushResponse]
        let nextCursor: String?
    }

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/official-pushes", .permitted(.changeCases), use: push)
        routes.on(.get, "/api/v1/official-pushes", .permitted(.readCases), use: list)
        routes.on(.get, "/api/v1/official-pushes/:id", .permitted(.readCases), use: show)
        routes.on(.post, "/api/v1/official-pushes/:id/replies", .permitted(.changeCases), use: reply)
        routes.on(.post, "/api/v1/official-pushes/:id/escalation", .permitted(.changeCases), use: escalate)
        routes.on(.get, "/api/v1/official-pushes/:id/letter", .permitted(.readCases), use: letter)
        routes.on(.get, "/api/v1/official-pushes/:id/escalations/:escalation/letter", .permitted(.readCases), use: letter)
    }

    var today: CalendarDate { ShanghaiClock.today(officials.clock()) }

    @Sendable func push(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: NewPush.self, context: context)
        let push = try await officials.push(
            .init(caseID: body.caseId, debtorID: body.debtorId, recipient: body.recipient, sentOn: body.sentOn), by: context.acting)
        return try JSON.response(OfficialPushResponse(push, today: today), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        var stage: PushStage? = nil
        if let text = request.uri.queryParameters.get("stage"), !text.isEmpty {
            do { stage = try PushStage.parse(text) } catch {
                throw APIError(.badRequest, code: error.code, message: error.message, field: "stage")
            }
        }
        let items = try await officials.pushes(stage: stage, by: context.acting)
        return try JSON.response(PushList(items: items.map { OfficialPushResponse($0, today: today) }, nextCursor: nil))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(OfficialPushResponse(try await officials.push(id: context.pathID, by: context.acting), today: today))
    }

    @Sendable func reply(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await officials.push(id: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: NewReply.self, context: context)
        let push = try await officials.record(try body.reply, pushID: context.pathID, by: context.acting)
        return try JSON.response(OfficialPushResponse(push, today: today))
    }

    @Sendable func escalate(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await officials.push(id: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: Escalation.self, context: context)
        let push = try await officials.escalate(pushID: context.pathID, on: body.on, by: context.acting)
        return try JSON.response(OfficialPushResponse(push, today: today))
    }

    /// The letter as sent: `format=html` (the default), `print` or `xml`.
    @Sendable func letter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let escalation = context.parameters.get("escalation") == nil ? nil : try context.pathUUID("escalation")
        let xml = try await officials.letter(pushID: context.pathID, escalationID: escalation, by: context.acting)
        return try Self.letterResponse(xml, format: request.uri.queryParameters.get("format"), notices: notices)
    }

    static func letterResponse(_ xml: String, format: String?, notices: NoticeRendering) throws -> Response {
        let chosen: NoticeRendering.Format
        switch format ?? "html" {
        case "html", "": chosen = .html
        case "print": chosen = .print
        case "xml": chosen = .xml
        default:
            throw APIError(
                .badRequest, code: "unknown_format", message: "format 只能是 html、print 或 xml（收到「\(format ?? "")」）", field: "format")
        }
        let type = chosen == .xml ? "application/xml; charset=utf-8" : "text/html; charset=utf-8"
        return Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: try notices.officialLetter(xml, format: chosen))))
    }
}

/// A push as the API shows it.
struct OfficialPushResponse: Encodable {
    let id: String
    let caseId: String
    let caseNumber: String
    let debtorId: String
    let debtorName: String
    let recipient: String
    let sentOn: String
    let dueOn: String
    let letterNumber: String
    let stage: String
    let stageLabel: String
    let acknowledgedOn: String?
    let repliedOn: String?
    let reply: String?
    let escalationDueOn: String?
    let escalatedOn: String?
    let performedOn: String?
    let judgeName: String?
    let escalations: [Escalation]

    struct Escalation: Encodable {
        let id: String
        let body: String
        let letterNumber: String
        let producedOn: String
        let producedBy: String?
    }

    init(_ push: PushRecord, today: CalendarDate) {
        id = push.id.databaseText
        caseId = push.caseID.databaseText
        caseNumber = push.caseNumber
        debtorId = push.debtorID.databaseText
        debtorName = push.debtorName
        recipient = push.recipient
        sentOn = push.sentOn.description
        dueOn = push.dueOn.description
        letterNumber = push.letterNumber
        let stage = push.stage(today: today)
        self.stage = stage.rawValue
        stageLabel = stage.chinese
        acknowledgedOn = push.acknowledgedOn?.description
        repliedOn = push.repliedOn?.description
        reply = push.reply
        escalationDueOn = push.escalationDueOn?.description
        escalatedOn = push.escalatedOn?.description
        performedOn = push.performedOn?.description
        judgeName = push.judgeName
        escalations = push.escalations.map {
            Escalation(
                id: $0.id.databaseText, body: $0.body, letterNumber: $0.letterNumber, producedOn: $0.producedOn.description,
                producedBy: $0.producedBy)
        }
    }
}

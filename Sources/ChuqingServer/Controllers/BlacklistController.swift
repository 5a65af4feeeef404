import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// `/api/v1/blacklist-entries`: listing decisions on the dishonest-debtor list and their deletion
/// triggers, deletion, revocation, correction and correction requests (法释〔2017〕7号), and the
/// notifications each listing and removal produces (art. 8).
struct BlacklistController {
    let blacklist: BlacklistService
    let notices: NoticeRendering

    struct NewEntry: Decodable {
        let caseId: UUID
        let debtorId: UUID
        let circumstances: [Int]
        let decidedOn: CalendarDate
        let decisionNumber: String
        let exemption: String?
        let extensionYears: Int?
        let extensionReason: String?
        let gracePeriodMonths: Int?
    }

    struct Trigger: Decodable {
        let trigger: String
        let on: CalendarDate
        /// Why, for an early deletion (`earlyDeletion`, art. 2 ¶2).
        let reason: String?
    }

    struct Deletion: Decodable {
        let on: CalendarDate
    }

    struct NewProcedure: Decodable {
        let kind: String
        let ground: String?
        let on: CalendarDate
        let reason: String
    }

    struct ReconsiderationApplication: Decodable {
        /// The day the rejection was served; the 10 days run from it.
        let servedOn: CalendarDate
        /// The day the application was received.
        let on: CalendarDate
        let reason: String
    }

    struct Decision: Decodable {
        let outcome: String
        let on: CalendarDate
        let note: String?
        let trigger: String?
    }

    struct ProcedureList: Encodable {
        let items: [BlacklistProcedureResponse]
    }

    struct NotificationList: Encodable {
        let items: [BlacklistNotificationResponse]
    }

    struct NotificationBody: Encodable {
        let notification: BlacklistNotificationResponse
        let xml: String
        let text: String
    }

    struct EntryList: Encodable {
        let items: [BlacklistEntryResponse]
        let nextCursor: String?
    }

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/blacklist-entries", .permitted(.changeCases), use: list)
        routes.on(.get, "/api/v1/blacklist-entries", .permitted(.readCases), use: entries)
        routes.on(.get, "/api/v1/blacklist-entries/:id", .permitted(.readCases), use: entry)
        routes.on(.post, "/api/v1/blacklist-entries/:id/deletion-triggers", .permitted(.changeCases), use: recordDeletionTrigger)
        routes.on(.post, "/api/v1/blacklist-entries/:id/deletion", .permitted(.changeCases), use: delete)
        routes.on(.post, "/api/v1/blacklist-entries/:id/procedures", .permitted(.changeCases), use: startProcedure)
        routes.on(.get, "/api/v1/blacklist-entries/:id/procedures", .permitted(.readCases), use: proceduresOfEntry)
        routes.on(.get, "/api/v1/blacklist-procedures", .permitted(.readCases), use: procedures)
        routes.on(.post, "/api/v1/blacklist-procedures/:id/decision", .permitted(.changeCases), use: decideProcedure)
        routes.on(.post, "/api/v1/blacklist-procedures/:id/reconsideration", .permitted(.changeCases), use: reconsider)
        routes.on(.get, "/api/v1/blacklist-notifications", .permitted(.readCases), use: notifications)
        routes.on(.get, "/api/v1/blacklist-notifications/:id", .permitted(.readCases), use: notification)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: NewEntry.self, context: context)
        let entry = try await blacklist.list(
            .init(
                caseID: body.caseId, debtorID: body.debtorId, circumstances: body.circumstances, decidedOn: body.decidedOn,
                decisionNumber: body.decisionNumber, exemption: try body.exemption.map { try ListingExemption.parse($0) },
                extensionYears: body.extensionYears ?? 0, extensionReason: body.extensionReason,
                gracePeriodMonths: body.gracePeriodMonths),
            by: context.acting)
        return try JSON.response(BlacklistEntryResponse(entry), status: .created)
    }

    @Sendable func entries(_ request: Request, context: AppRequestContext) async throws -> Response {
        let entries = try await blacklist.entries(deletionDue: try request.flag("deletionDue") ?? false, by: context.acting)
        return try JSON.response(EntryList(items: entries.map(BlacklistEntryResponse.init), nextCursor: nil))
    }

    @Sendable func entry(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(BlacklistEntryResponse(try await blacklist.entry(id: context.pathID, by: context.acting)))
    }

    @Sendable func recordDeletionTrigger(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await blacklist.entry(id: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: Trigger.self, context: context)
        let entry = try await blacklist.recordTrigger(
            entryID: context.pathID, try DeletionTrigger.parse(body.trigger), on: body.on, reason: body.reason, by: context.acting)
        return try JSON.response(BlacklistEntryResponse(entry))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await blacklist.entry(id: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: Deletion.self, context: context)
        return try JSON.response(
            BlacklistEntryResponse(try await blacklist.delete(entryID: context.pathID, on: body.on, by: context.acting)))
    }

    @Sendable func startProcedure(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await blacklist.entry(id: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: NewProcedure.self, context: context)
        let kind = try BlacklistProcedureKind.parse(body.kind)
        let procedure = try await blacklist.openProcedure(
            entryID: context.pathID, kind: kind, ground: kind == .objection ? try ObjectionGround.parse(body.ground) : nil,
            aroseOn: body.on, reason: body.reason, by: context.acting)
        return try JSON.response(BlacklistProcedureResponse(procedure), status: .created)
    }

    @Sendable func proceduresOfEntry(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(
            ProcedureList(
                items: try await blacklist.procedures(entryID: context.pathID, by: context.acting).map(BlacklistProcedureResponse.init)))
    }

    @Sendable func procedures(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(ProcedureList(items: try await blacklist.openProcedures(by: context.acting).map(BlacklistProcedureResponse.init)))
    }

    @Sendable func decideProcedure(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await blacklist.procedure(id: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: Decision.self, context: context)
        let procedure = try await blacklist.decide(
            procedureID: context.pathID, outcome: try ProcedureOutcome.parse(body.outcome), on: body.on, note: body.note,
            trigger: try body.trigger.map { try DeletionTrigger.parse($0) }, by: context.acting)
        return try JSON.response(BlacklistProcedureResponse(procedure))
    }

    @Sendable func reconsider(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await blacklist.procedure(id: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: ReconsiderationApplication.self, context: context)
        let procedure = try await blacklist.reconsider(
            requestID: context.pathID, servedOn: body.servedOn, appliedOn: body.on, reason: body.reason, by: context.acting)
        return try JSON.response(BlacklistProcedureResponse(procedure), status: .created)
    }

    @Sendable func notifications(_ request: Request, context: AppRequestContext) async throws -> Response {
        let entryID = try request.uri.queryParameters.get("entryId").map { text in
            guard let id = UUID(uuidString: text) else {
                throw APIError(.badRequest, code: "invalid_value", message: "entryId 应为名单条目的编号（UUID）（收到「\(text)」）", field: "entryId")
            }
            return id
        }
        let items = try await blacklist.notifications(entryID: entryID, by: context.acting)
        return try JSON.response(NotificationList(items: items.map(BlacklistNotificationResponse.init)))
    }

    @Sendable func notification(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (notification, xml) = try await blacklist.notification(id: context.pathID, by: context.acting)
        if request.uri.queryParameters.get("format") == "html" {
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: try notices.templates.notificationHTML.transform(xml))))
        }
        return try JSON.response(
            NotificationBody(
                notification: BlacklistNotificationResponse(notification), xml: xml,
                text: try notices.templates.notificationText.transform(xml)))
    }
}

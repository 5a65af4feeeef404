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
        let caseId: String
        let debtorId: String
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

    struct Decision: Decodable {
        let outcome: String
        let on: CalendarDate
        let note: String?
        let trigger: String?
    }

    struct ProcedureList: Encodable {
        let items: [BlacklistProcedure]
    }

    struct NotificationList: Encodable {
        let items: [StoredNotification]
    }

    struct NotificationBody: Encodable {
        let notification: StoredNotification
        let xml: String
        let text: String
    }

    struct EntryList: Encodable {
        let items: [BlacklistEntry]
        let nextCursor: String?
    }

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/blacklist-entries", .permitted(.changeCases)) { request, context in
            let body = try await request.decodeJSON(NewEntry.self, context: context)
            let entry = try await blacklist.list(
                .init(
                    caseID: body.caseId, debtorID: body.debtorId, circumstances: body.circumstances, decidedOn: body.decidedOn,
                    decisionNumber: body.decisionNumber, exemption: try body.exemption.map { try ListingExemption.parse($0) },
                    extensionYears: body.extensionYears ?? 0, extensionReason: body.extensionReason,
                    gracePeriodMonths: body.gracePeriodMonths),
                by: context.acting)
            return try JSON.response(entry, status: .created)
        }
        routes.on(.get, "/api/v1/blacklist-entries", .permitted(.readCases)) { request, context in
            let entries = try await blacklist.entries(deletionDue: try request.flag("deletionDue") ?? false, by: context.acting)
            return try JSON.response(EntryList(items: entries, nextCursor: nil))
        }
        routes.on(.get, "/api/v1/blacklist-entries/:id", .permitted(.readCases)) { _, context in
            try JSON.response(try await blacklist.entry(id: context.pathID, by: context.acting))
        }
        routes.on(.post, "/api/v1/blacklist-entries/:id/deletion-triggers", .permitted(.changeCases)) { request, context in
            _ = try await blacklist.entry(id: context.pathID, by: context.acting)  // 404 before the body is read
            let body = try await request.decodeJSON(Trigger.self, context: context)
            return try JSON.response(
                try await blacklist.recordTrigger(
                    entryID: context.pathID, try DeletionTrigger.parse(body.trigger), on: body.on, by: context.acting))
        }
        routes.on(.post, "/api/v1/blacklist-entries/:id/deletion", .permitted(.changeCases)) { request, context in
            _ = try await blacklist.entry(id: context.pathID, by: context.acting)  // 404 before the body is read
            let body = try await request.decodeJSON(Deletion.self, context: context)
            return try JSON.response(try await blacklist.delete(entryID: context.pathID, on: body.on, by: context.acting))
        }
        routes.on(.post, "/api/v1/blacklist-entries/:id/procedures", .permitted(.changeCases)) { request, context in
            _ = try await blacklist.entry(id: context.pathID, by: context.acting)  // 404 before the body is read
            let body = try await request.decodeJSON(NewProcedure.self, context: context)
            let kind = try BlacklistProcedureKind.parse(body.kind)
            let procedure = try await blacklist.openProcedure(
                entryID: context.pathID, kind: kind, ground: kind == .objection ? try ObjectionGround.parse(body.ground) : nil,
                aroseOn: body.on, reason: body.reason, by: context.acting)
            return try JSON.response(procedure, status: .created)
        }
        routes.on(.get, "/api/v1/blacklist-entries/:id/procedures", .permitted(.readCases)) { _, context in
            try JSON.response(ProcedureList(items: try await blacklist.procedures(entryID: context.pathID, by: context.acting)))
        }
        routes.on(.get, "/api/v1/blacklist-procedures", .permitted(.readCases)) { _, context in
            try JSON.response(ProcedureList(items: try await blacklist.openProcedures(by: context.acting)))
        }
        routes.on(.post, "/api/v1/blacklist-procedures/:id/decision", .permitted(.changeCases)) { request, context in
            _ = try await blacklist.procedure(id: context.pathID, by: context.acting)  // 404 before the body is read
            let body = try await request.decodeJSON(Decision.self, context: context)
            return try JSON.response(
                try await blacklist.decide(
                    procedureID: context.pathID, outcome: try ProcedureOutcome.parse(body.outcome), on: body.on, note: body.note,
                    trigger: try body.trigger.map { try DeletionTrigger.parse($0) }, by: context.acting))
        }
        routes.on(.get, "/api/v1/blacklist-notifications", .permitted(.readCases)) { request, context in
            let items = try await blacklist.notifications(entryID: request.uri.queryParameters.get("entryId"), by: context.acting)
            return try JSON.response(NotificationList(items: items))
        }
        routes.on(.get, "/api/v1/blacklist-notifications/:id", .permitted(.readCases)) { request, context in
            let (notification, xml) = try await blacklist.notification(id: context.pathID, by: context.acting)
            if request.uri.queryParameters.get("format") == "html" {
                return Response(
                    status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(string: try notices.templates.notificationHTML.transform(xml))))
            }
            return try JSON.response(
                NotificationBody(notification: notification, xml: xml, text: try notices.templates.notificationText.transform(xml)))
        }
    }
}

import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// One queue for the judge: liaisons' leads and the public's tips, each to be verified within 7
/// days (3 for an urgent lead; 财产调查规定 art. 2) and answered (`GET /api/v1/triage`); a tip moves
/// through the same states as a lead (`POST /api/v1/tips/{id}/status`).
struct TriageController {
    let triage: TriageService
    let tips: TipService

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/triage", .permitted(.readTriage), use: showQueue)
        routes.on(.post, "/api/v1/tips/:id/status", .permitted(.triage), use: changeTipStatus)
    }

    @Sendable func showQueue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let openOnly = try request.flag("open") ?? false
        return try JSON.response(try await triage.queue(openOnly: openOnly, by: context.acting))
    }

    @Sendable func changeTipStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(as: LeadController.StatusChange.self, context: context)
        let tip = try await tips.changeStatus(
            tipID: context.pathID, to: try LeadStatus.parse(body.status), reply: body.reply, outcomeKind: body.outcome?.kind,
            outcomeID: body.outcome?.id, by: context.acting)
        return try JSON.response(TipResponse(tip))
    }
}

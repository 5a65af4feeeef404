import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// The township network (issue 6): its townships, villages, liaisons and figures
/// (`GET /api/v1/network`); the debtors a judge assigns to a township
/// (`/api/v1/debtors/{id}/assignments`); household visits and the debtor portrait built from them
/// (`/api/v1/debtors/{id}/visits`, `/api/v1/debtors/{id}/portrait`).
struct NetworkController {
    let network: NetworkService

    struct NewAssignment: Decodable {
        let township: String
        let note: String?
    }

    struct NewVisit: Decodable {
        let visitedOn: CalendarDate?
        let visitors: String
        let foundAtHome: Bool
        let currentAddress: String?
        let phone: String?
        let work: String?
        let whereabouts: String?
        let family: String?
        let assetsSeen: String?
        let attitude: String?
        let note: String?

        /// What the service takes.
        var input: NetworkService.VisitInput {
            NetworkService.VisitInput(visitedOn: visitedOn, visitors: visitors, foundAtHome: foundAtHome, facts: facts, note: note)
        }

        var facts: [Visit.Fact: String] {
            let pairs: [(Visit.Fact, String?)] = [
                (.currentAddress, currentAddress), (.phone, phone), (.work, work), (.whereabouts, whereabouts),
                (.family, family), (.assetsSeen, assetsSeen), (.attitude, attitude),
            ]
            return Dictionary(uniqueKeysWithValues: pairs.compactMap { fact, value in value.map { (fact, $0) } })
        }
    }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/network", .permitted(.readDebtors), use: network)
        routes.on(.get, "/api/v1/debtors/:id/assignments", .permitted(.readCases), use: assignments)
        routes.on(.post, "/api/v1/debtors/:id/assignments", .permitted(.changeCases), use: assign)
        routes.on(.delete, "/api/v1/debtors/:id/assignments/:township", .permitted(.changeCases), use: unassign)
        routes.on(.post, "/api/v1/debtors/:id/visits", .permitted(.recordVisits), use: recordVisit)
        routes.on(.get, "/api/v1/debtors/:id/visits", .permitted(.readVisits), use: visits)
        routes.on(.get, "/api/v1/debtors/:id/portrait", .permitted(.readPortraits), use: portrait)
    }

    @Sendable func network(_ request: Request, context: AppRequestContext) async throws -> Response {
        let townships = try await network.townships(asked: request.uri.queryParameters.get("township"), by: context.acting)
        return try JSON.response(ItemList(items: townships.map(TownshipNetworkResponse.init), nextCursor: nil))
    }

    @Sendable func assignments(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(
            ItemList(
                items: try await network.assignments(debtorID: context.pathID, by: context.acting).map(DebtorAssignmentResponse.init),
                nextCursor: nil))
    }

    @Sendable func assign(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await network.assignments(debtorID: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: NewAssignment.self, context: context)
        let assignment = try await network.assign(
            debtorID: context.pathID, township: body.township, note: body.note, by: context.acting)
        return try JSON.response(DebtorAssignmentResponse(assignment), status: .created)
    }

    @Sendable func unassign(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await network.endAssignment(
            debtorID: context.pathID, township: context.parameters.get("township") ?? "", by: context.acting)
        return Response(status: .noContent)
    }

    @Sendable func recordVisit(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await network.visitableDebtor(id: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: NewVisit.self, context: context)
        let visit = try await network.addVisit(body.input, debtorID: context.pathID, by: context.acting)
        return try JSON.response(VisitResponse(visit), status: .created)
    }

    @Sendable func visits(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(
            ItemList(items: try await network.visits(debtorID: context.pathID, by: context.acting).map(VisitResponse.init), nextCursor: nil)
        )
    }

    @Sendable func portrait(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(try await network.portrait(debtorID: context.pathID, by: context.acting))
    }
}

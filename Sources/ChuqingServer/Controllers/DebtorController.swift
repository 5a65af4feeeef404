import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// `/api/v1/debtors`: debtors by name or ID number, and one debtor with all their cases.
struct DebtorController {
    let debtors: DebtorService

    struct DebtorList: Encodable {
        let items: [DebtorSummaryResponse]
        let nextCursor: String?
    }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/debtors", .permitted(.readCases), use: search)
        routes.on(.patch, "/api/v1/debtors/:id", .permitted(.changeCases), use: update)
        routes.on(.put, "/api/v1/debtors/:id/photo", .permitted(.changeCases), use: setPhoto)
        routes.on(.get, "/api/v1/debtors/:id/photo", .permitted(.readDebtors), use: photo)
        routes.on(.get, "/api/v1/debtors/:id", .permitted(.readDebtors), use: show)
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let page = try await debtors.search(
            name: query.get("name"), idNumber: query.get("idNumber"), limit: try CaseController.limit(request),
            after: query.get("cursor"), by: context.acting)
        return try JSON.response(DebtorList(items: page.items.map(DebtorSummaryResponse.init), nextCursor: page.nextCursor))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await debtors.visibleDebtor(id: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: DebtorChangesRequest.self, context: context)
        return try JSON.response(
            DebtorResponse(try await debtors.update(id: context.pathID, body.changes, standing: body.standing, by: context.acting)))
    }

    @Sendable func setPhoto(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await debtors.visibleDebtor(id: context.pathID, by: context.acting)  // 404 before the body is read
        var incoming = request
        let body = try await incoming.collectBody(upTo: DebtorPhoto.maxBytes + 1)
        try await debtors.setPhoto(id: context.pathID, try DebtorPhoto(Data(buffer: body)), by: context.acting)
        return Response(status: .noContent)
    }

    @Sendable func photo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let photo = try await debtors.photo(id: context.pathID, by: context.acting)
        return Response.privateImage(photo.bytes, contentType: photo.contentType)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        switch try await debtors.view(id: context.pathID, by: context.acting) {
        case .court(let detail): try JSON.response(DebtorResponse(detail))
        // A liaison sees only what finding the person needs, and only in their township (issue 6).
        case .liaison(let view): try JSON.response(LiaisonDebtorResponse(view))
        }
    }
}

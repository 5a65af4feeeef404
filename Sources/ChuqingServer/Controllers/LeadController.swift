import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// Township liaisons: the debtors of their township they look for (`GET /api/v1/liaison/debtors`,
/// `GET /api/v1/debtors/{id}` in the liaison's view) and the leads they send (`POST /api/v1/leads`
/// with an `Idempotency-Key`, so a retry on a weak signal never makes a second lead).
/// A debtor outside a liaison's scope answers 404, never 403: existence does not leak.
struct LeadController {
    let leads: LeadService

    struct NewLead: Decodable {
        let debtorId: UUID
        let kind: String
        let text: String
        let place: String?
        let seenOn: CalendarDate?
        let urgent: Bool?
        /// Up to three JPEG or PNG photos, base64 (a `data:` URL prefix is accepted).
        let photos: [String]?

        /// What the service takes, with the photos decoded.
        var input: LeadService.LeadInput {
            get throws(DomainError) {
                let photos = try (photos ?? []).enumerated().map { index, text throws(DomainError) in
                    let payload = text.range(of: ";base64,").map { String(text[$0.upperBound...]) } ?? text
                    guard let data = Data(base64Encoded: payload, options: .ignoreUnknownCharacters) else {
                        throw DomainError(code: "invalid_photo_encoding", message: "第 \(index + 1) 张照片不是有效的 base64 编码", field: "photos")
                    }
                    return data
                }
                return LeadService.LeadInput(
                    debtorID: debtorId, kind: try Lead.Kind.parse(kind), text: text, place: place, seenOn: seenOn, urgent: urgent ?? false,
                    photos: photos)
            }
        }
    }

    struct StatusChange: Decodable {
        struct Outcome: Decodable {
            let kind: String?
            let id: String?
        }
        let status: String
        let reply: String?
        /// For verified: what it led to, `{"kind": "measure"|"payment"|"lookup", "id": …}`.
        let outcome: Outcome?
    }

    /// Three photos of the largest size, base64, and the text: what a lead's body may weigh.
    static let maxBodyBytes = LeadPhoto.maxPerLead * LeadPhoto.maxBytes * 4 / 3 + (64 << 10)

    struct DebtorList: Encodable {
        let items: [LiaisonDebtorResponse]
    }

    struct LeadList: Encodable {
        let items: [LeadResponse]
        let nextCursor: String?
    }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/liaison/debtors", .permitted(.submitLeads), use: liaisonDebtors)
        routes.on(.post, "/api/v1/leads", .permitted(.submitLeads), use: submit)
        routes.on(.get, "/api/v1/leads/:id/photos/:n", .permitted(.readLeads), use: photo)
        routes.on(.get, "/api/v1/leads/:id", .permitted(.readLeads), use: lead)
        routes.on(.get, "/api/v1/leads", .permitted(.readLeads), use: list)
        routes.on(.post, "/api/v1/leads/:id/status", .permitted(.decideLeads), use: changeStatus)
    }

    @Sendable func liaisonDebtors(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(DebtorList(items: try await leads.debtorsToFind(by: context.acting).map(LiaisonDebtorResponse.init)))
    }

    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body: NewLead
        do {
            body = try await request.decodeJSON(NewLead.self, limit: Self.maxBodyBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(
                .contentTooLarge, code: "body_too_large",
                message: "线索连同照片超过 \(Self.maxBodyBytes >> 20) MB：每张照片不超过 \(LeadPhoto.maxBytes >> 20) MB，最多 \(LeadPhoto.maxPerLead) 张")
        }
        let (stored, created) = try await leads.submit(
            try body.input, idempotencyKey: request.headers[.init("Idempotency-Key")!], by: context.acting)
        return try JSON.response(LeadResponse(stored), status: created ? .created : .ok)
    }

    @Sendable func photo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let photo = try await leads.photo(
            leadID: context.pathID, position: context.parameters.get("n").flatMap(Int.init), by: context.acting)
        return Response.privateImage(photo.bytes, contentType: photo.contentType)
    }

    @Sendable func lead(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(LeadResponse(try await leads.lead(id: context.pathID, by: context.acting)))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(LeadList(items: try await leads.leads(by: context.acting).map(LeadResponse.init), nextCursor: nil))
    }

    @Sendable func changeStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await leads.lead(id: context.pathID, by: context.acting)  // 404 before the body is read
        let body = try await request.decode(as: StatusChange.self, context: context)
        let lead = try await leads.changeStatus(
            leadID: context.pathID, to: try LeadStatus.parse(body.status), reply: body.reply, outcomeKind: body.outcome?.kind,
            outcomeID: body.outcome?.id, by: context.acting)
        return try JSON.response(LeadResponse(lead))
    }
}

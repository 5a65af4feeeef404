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
    let database: Database
    let calendar: WorkingDayCalendar
    let now: @Sendable () -> Date

    struct NewLead: Decodable {
        let debtorId: String
        let kind: String
        let text: String
        let place: String?
        let seenOn: CalendarDate?
        let urgent: Bool?
        /// Up to three JPEG or PNG photos, base64 (a `data:` URL prefix is accepted).
        let photos: [String]?
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
        let items: [LiaisonDebtorView]
    }

    struct LeadList: Encodable {
        let items: [StoredLead]
        let nextCursor: String?
    }

    var repository: LeadRepository { LeadRepository(database: database) }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/liaison/debtors", .permitted(.submitLeads)) { _, context in
            try JSON.response(DebtorList(items: try await repository.debtors(township: try township(context))))
        }
        routes.on(.post, "/api/v1/leads", .permitted(.submitLeads)) { request, context in
            let body: NewLead
            do {
                body = try await request.decodeJSON(NewLead.self, context: context, limit: Self.maxBodyBytes)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                throw APIError(
                    .contentTooLarge, code: "body_too_large",
                    message: "线索连同照片超过 \(Self.maxBodyBytes >> 20) MB：每张照片不超过 \(LeadPhoto.maxBytes >> 20) MB，最多 \(LeadPhoto.maxPerLead) 张")
            }
            let photos = try (body.photos ?? []).enumerated().map { index, text in
                let payload = text.range(of: ";base64,").map { String(text[$0.upperBound...]) } ?? text
                guard let data = Data(base64Encoded: payload, options: .ignoreUnknownCharacters) else {
                    throw DomainError(code: "invalid_photo_encoding", message: "第 \(index + 1) 张照片不是有效的 base64 编码", field: "photos")
                }
                return data
            }
            let (stored, created) = try await submit(
                body, photos: photos, key: request.headers[.init("Idempotency-Key")!], context: context)
            return try JSON.response(stored, status: created ? .created : .ok)
        }
        routes.on(.get, "/api/v1/leads/:id/photos/:n", .permitted(.readLeads)) { _, context in
            let lead = try await visibleLead(context)
            guard let n = context.parameters.get("n").flatMap(Int.init),
                let photo = try await repository.photo(leadID: lead.id, position: n)
            else {
                throw APIError.notFound
            }
            return Response.privateImage(photo.bytes, contentType: photo.contentType)
        }
        routes.on(.get, "/api/v1/leads/:id", .permitted(.readLeads)) { _, context in
            try JSON.response(Self.flagged(try await visibleLead(context), today: ShanghaiClock.today(now())))
        }
        routes.on(.get, "/api/v1/leads", .permitted(.readLeads)) { _, context in
            let user = try context.requireSession().user
            let today = ShanghaiClock.today(now())
            let items = try await repository.list(
                liaison: user.role == .liaison ? user.id : nil, judge: user.role == .judge ? user.id : nil)
            return try JSON.response(LeadList(items: items.map { Self.flagged($0, today: today) }, nextCursor: nil))
        }
        routes.on(.post, "/api/v1/leads/:id/status", .permitted(.decideLeads)) { request, context in
            let body = try await request.decodeJSON(StatusChange.self, context: context)
            let updated = try await changeStatus(
                context, status: body.status, reply: body.reply, outcomeKind: body.outcome?.kind, outcomeID: body.outcome?.id)
            return try JSON.response(Self.flagged(updated, today: ShanghaiClock.today(now())))
        }
    }

    /// Moves the `:id` lead on in triage (the API and the queue page): the director any lead, a
    /// judge those on debtors of their own cases (404 for any other).
    func changeStatus(_ context: AppRequestContext, status: String, reply: String?, outcomeKind: String?, outcomeID: String?) async throws
        -> StoredLead
    {
        let user = try context.requireSession().user
        guard let id = context.parameters.get("id")?.lowercased(), let lead = try await repository.lead(id: id) else {
            throw APIError.notFound
        }
        if user.role == .judge, !(try await repository.isResponsible(judge: user.id, leadID: lead.id)) { throw APIError.notFound }
        let next = try LeadStatus.parse(status)
        let outcome = try LeadOutcome.parse(kind: outcomeKind, id: outcomeID, status: next)
        let instant = now()
        return try await repository.setStatus(
            id: lead.id, to: next, reply: reply, outcome: outcome, decidedBy: user.id,
            audit: context.acting.audit("lead.status", entity: "lead", id: lead.id, detail: next.chinese, at: instant), now: instant)
    }

    /// Checks and stores a lead from the API or the phone form: the debtor must be in the liaison's
    /// scope (404 otherwise), the photos JPEG or PNG by content (metadata removed), and a retry
    /// under the same `Idempotency-Key` returns the first lead.
    func submit(_ body: NewLead, photos: [Data], key rawKey: String?, context: AppRequestContext) async throws -> (StoredLead, Bool) {
        let key = rawKey?.trimmingCharacters(in: .whitespaces)
        if let key, key.isEmpty || key.count > 200 {
            throw DomainError(
                code: "invalid_idempotency_key", message: "Idempotency-Key 须为 1–200 个字符（建议每条线索一个 UUID）", field: "Idempotency-Key")
        }
        let township = try township(context)
        let debtorID = body.debtorId.lowercased()
        guard let debtorName = try await repository.nameInScope(id: debtorID, township: township) else {
            throw APIError(.notFound, code: "not_found", message: "找不到该被执行人，或其不在您负责的乡镇需查找的名单中")
        }
        guard photos.count <= LeadPhoto.maxPerLead else {
            throw DomainError(code: "too_many_photos", message: "每条线索最多 \(LeadPhoto.maxPerLead) 张照片（收到 \(photos.count) 张）", field: "photos")
        }
        var checked: [LeadPhoto] = []
        for (index, data) in photos.enumerated() {
            do { checked.append(try LeadPhoto(data)) } catch {
                throw DomainError(code: error.code, message: "第 \(index + 1) 张照片：\(error.message)", field: "photos")
            }
        }
        let instant = now()
        let today = ShanghaiClock.today(instant)
        let lead = try Lead(
            kind: try Lead.Kind.parse(body.kind), text: body.text, place: body.place, seenOn: body.seenOn ?? today,
            isUrgent: body.urgent ?? false, today: today)
        // What the lead says, not how the JSON was spelled: a retry may order its keys differently.
        let canonical =
            [
                body.debtorId.lowercased(), body.kind, body.text.trimmed, body.place?.trimmed ?? "",
                body.seenOn?.description ?? "", body.urgent.map(String.init) ?? "",
            ].joined(separator: "\u{1F}")
            + photos.map { Digest.sha256Hex($0) }.joined(separator: ",")
        let user = try context.requireSession().user
        return try await repository.submit(
            lead, photos: checked, debtorID: debtorID, liaison: user.id, township: township, idempotencyKey: key,
            requestHash: Digest.sha256Hex(Data(canonical.utf8)), verifyBy: try lead.verifyBy(receivedOn: today, calendar: calendar),
            audit: context.acting.audit(
                "lead.submit", entity: "debtor", id: debtorID, detail: "\(debtorName) \(lead.kind.chinese)", at: instant),
            now: instant)
    }

    /// The `:id` lead if this user may read it: a liaison their own, a judge those on debtors of
    /// their cases, the director and clerks all; 404 otherwise.
    func visibleLead(_ context: AppRequestContext) async throws -> StoredLead {
        let user = try context.requireSession().user
        guard let id = context.parameters.get("id")?.lowercased(), let lead = try await repository.lead(id: id) else {
            throw APIError.notFound
        }
        switch user.role {
        case .liaison: guard lead.liaisonId == user.id.databaseText else { throw APIError.notFound }
        case .judge: guard try await repository.isResponsible(judge: user.id, leadID: lead.id) else { throw APIError.notFound }
        default: break
        }
        return lead
    }

    /// The lead with its overdue flag for `today` (财产调查规定 art. 2: 7 days, 3 if urgent).
    static func flagged(_ lead: StoredLead, today: CalendarDate) -> StoredLead {
        var lead = lead
        if let status = LeadStatus(rawValue: lead.status), let due = try? CalendarDate.parse(lead.verifyBy) {
            lead.overdue = status.isOverdue(verifyBy: due, today: today)
        }
        return lead
    }

    /// The liaison's township (every liaison is bound to one: `users` CHECK constraint).
    func township(_ context: AppRequestContext) throws -> String {
        guard let township = try context.requireSession().user.townshipCode else { throw APIError.forbidden }
        return township
    }
}

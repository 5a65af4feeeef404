import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// `/api/v1/debtors`: debtors by name or ID number, and one debtor with all their cases.
struct DebtorController {
    let database: Database
    let now: @Sendable () -> Date

    struct DebtorList: Encodable {
        let items: [CaseDebtorView]
        let nextCursor: String?
    }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/debtors", .permitted(.readCases)) { request, context in
            let user = try context.requireSession().user
            let query = request.uri.queryParameters
            let name = query.get("name").flatMap { $0.isEmpty ? nil : $0 }
            let idNumber = query.get("idNumber").flatMap { $0.isEmpty ? nil : $0.uppercased() }
            let page = try await DebtorRepository(database: database).search(
                name: name, idNumber: idNumber, visibleToJudge: user.role == .judge ? user.id : nil,
                limit: try CaseController.limit(request), after: query.get("cursor"))
            return try JSON.response(DebtorList(items: page.items, nextCursor: page.nextCursor))
        }
        routes.on(.patch, "/api/v1/debtors/:id", .permitted(.changeCases)) { request, context in
            let user = try context.requireSession().user
            guard let id = context.parameters.get("id")?.lowercased(),
                let current = try await DebtorRepository(database: database).detail(
                    id: id, visibleToJudge: user.role == .judge ? user.id : nil)
            else { throw APIError.notFound }
            let changes = try await request.decodeJSON(DebtorChanges.self, context: context)
            let instant = now()
            let updated = try await DebtorRepository(database: database).update(
                id: id, changes, audit: context.acting.audit("debtor.update", entity: "debtor", id: id, detail: current.name, at: instant),
                now: instant)
            return try JSON.response(updated)
        }
        routes.on(.put, "/api/v1/debtors/:id/photo", .permitted(.changeCases)) { request, context in
            let debtor = try await visibleDebtor(context)
            var request = request
            let body = try await request.collectBody(upTo: DebtorPhoto.maxBytes + 1)
            let photo = try DebtorPhoto(Data(buffer: body))
            try await savePhoto(photo, of: debtor, context: context)
            return Response(status: .noContent)
        }
        routes.on(.get, "/api/v1/debtors/:id/photo", .permitted(.readDebtors)) { _, context in
            if let township = try liaisonTownship(context) {
                guard let id = context.parameters.get("id"),
                    let debtor = try await LeadRepository(database: database).debtor(id: id, township: township),
                    let photo = try await DebtorRepository(database: database).photo(debtorID: debtor.id)
                else { throw APIError.notFound }
                return Response.privateImage(photo.bytes, contentType: photo.contentType)
            }
            return try await photoResponse(try await visibleDebtor(context))
        }
        routes.on(.get, "/api/v1/debtors/:id", .permitted(.readDebtors)) { _, context in
            let user = try context.requireSession().user
            if let township = try liaisonTownship(context) {
                // A liaison sees only what finding the person needs, and only in their township (issue 6).
                guard let id = context.parameters.get("id"),
                    let view = try await LeadRepository(database: database).debtor(id: id, township: township)
                else { throw APIError.notFound }
                return try JSON.response(view)
            }
            guard let id = context.parameters.get("id"),
                let detail = try await DebtorRepository(database: database).detail(
                    id: id.lowercased(), visibleToJudge: user.role == .judge ? user.id : nil)
            else { throw APIError.notFound }
            return try JSON.response(detail)
        }
    }

    /// The liaison's township, or nil for every other role.
    func liaisonTownship(_ context: AppRequestContext) throws -> String? {
        let user = try context.requireSession().user
        guard user.role == .liaison else { return nil }
        guard let township = user.townshipCode else { throw APIError.notFound }
        return township
    }

    /// The `:id` debtor if this user may see them (a judge: a debtor of one of their cases); 404
    /// otherwise, so that existence does not leak.
    func visibleDebtor(_ context: AppRequestContext) async throws -> DebtorDetail {
        let user = try context.requireSession().user
        guard let id = context.parameters.get("id")?.lowercased(),
            let debtor = try await DebtorRepository(database: database).detail(id: id, visibleToJudge: user.role == .judge ? user.id : nil)
        else { throw APIError.notFound }
        return debtor
    }

    func savePhoto(_ photo: DebtorPhoto, of debtor: DebtorDetail, context: AppRequestContext) async throws {
        let user = try context.requireSession().user
        let instant = now()
        try await DebtorRepository(database: database).setPhoto(
            debtorID: debtor.id, photo, uploadedBy: user.id,
            audit: context.acting.audit(
                "debtor.photo", entity: "debtor", id: debtor.id, detail: "\(debtor.name) \(photo.bytes.count) 字节", at: instant),
            now: instant)
    }

    /// The photo's bytes, never cached by shared caches (it is personal data).
    func photoResponse(_ debtor: DebtorDetail) async throws -> Response {
        guard let photo = try await DebtorRepository(database: database).photo(debtorID: debtor.id) else { throw APIError.notFound }
        return Response.privateImage(photo.bytes, contentType: photo.contentType)
    }
}

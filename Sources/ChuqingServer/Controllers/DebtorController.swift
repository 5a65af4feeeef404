import ChuqingDomain
import ChuqingPersistence
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
        routes.on(.get, "/api/v1/debtors", .roles(CaseController.readers)) { request, context in
            let user = try context.requireSession().user
            let query = request.uri.queryParameters
            let name = query.get("name").flatMap { $0.isEmpty ? nil : $0 }
            let idNumber = query.get("idNumber").flatMap { $0.isEmpty ? nil : $0.uppercased() }
            let page = try await DebtorRepository(database: database).search(
                name: name, idNumber: idNumber, visibleToJudge: user.role == .judge ? user.id : nil,
                limit: try CaseController.limit(request), after: query.get("cursor"))
            return try JSON.response(DebtorList(items: page.items, nextCursor: page.nextCursor))
        }
        routes.on(.patch, "/api/v1/debtors/:id", .roles(CaseController.writers)) { request, context in
            let user = try context.requireSession().user
            guard let id = context.parameters.get("id")?.lowercased(),
                  let current = try await DebtorRepository(database: database).detail(id: id, visibleToJudge: user.role == .judge ? user.id : nil)
            else { throw APIError.notFound }
            let changes = try await request.decodeJSON(DebtorChanges.self, context: context)
            let instant = now()
            let updated = try await DebtorRepository(database: database).update(
                id: id, changes, audit: context.actor.audit("debtor.update", entity: "debtor", id: id, detail: current.name, at: instant), now: instant)
            return try JSON.response(updated)
        }
        routes.on(.get, "/api/v1/debtors/:id", .roles(CaseController.readers)) { _, context in
            let user = try context.requireSession().user
            guard let id = context.parameters.get("id"),
                  let detail = try await DebtorRepository(database: database).detail(id: id.lowercased(), visibleToJudge: user.role == .judge ? user.id : nil)
            else { throw APIError.notFound }
            return try JSON.response(detail)
        }
    }
}

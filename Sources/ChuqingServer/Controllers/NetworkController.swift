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
    let database: Database
    let now: @Sendable () -> Date

    /// Who reads a debtor's portrait: court staff, never liaisons (it holds family and assets).
    /// Who records a household visit: liaisons (in their scope) and court staff.

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

        var facts: [Visit.Fact: String] {
            let pairs: [(Visit.Fact, String?)] = [
                (.currentAddress, currentAddress), (.phone, phone), (.work, work), (.whereabouts, whereabouts),
                (.family, family), (.assetsSeen, assetsSeen), (.attitude, attitude),
            ]
            return Dictionary(uniqueKeysWithValues: pairs.compactMap { fact, value in value.map { (fact, $0) } })
        }
    }

    struct Items<T: Encodable>: Encodable {
        let items: [T]
        let nextCursor: String?
    }

    var network: NetworkRepository { NetworkRepository(database: database) }
    var visits: VisitRepository { VisitRepository(database: database) }

    func register(on routes: RouteTable) {
        routes.on(.get, "/api/v1/network", .permitted(.readDebtors)) { request, context in
            let townships = try await visibleTownships(context, asked: request.uri.queryParameters.get("township"))
            return try JSON.response(Items(items: townships, nextCursor: nil))
        }
        routes.on(.get, "/api/v1/debtors/:id/assignments", .permitted(.readCases)) { _, context in
            let debtor = try await DebtorController(database: database, now: now).visibleDebtor(context)
            return try JSON.response(Items(items: try await network.assignments(debtorID: debtor.id), nextCursor: nil))
        }
        routes.on(.post, "/api/v1/debtors/:id/assignments", .permitted(.changeCases)) { request, context in
            let debtor = try await DebtorController(database: database, now: now).visibleDebtor(context)
            let body = try await request.decodeJSON(NewAssignment.self, context: context)
            let assignment = try await assign(debtor, township: body.township, note: body.note, context: context)
            return try JSON.response(assignment, status: .created)
        }
        routes.on(.delete, "/api/v1/debtors/:id/assignments/:township", .permitted(.changeCases)) { _, context in
            let debtor = try await DebtorController(database: database, now: now).visibleDebtor(context)
            guard let township = context.parameters.get("township"), try await endAssignment(debtor, township: township, context: context)
            else {
                throw APIError.notFound
            }
            return Response(status: .noContent)
        }
        routes.on(.post, "/api/v1/debtors/:id/visits", .permitted(.recordVisits)) { request, context in
            let (debtorID, debtorName) = try await visitableDebtor(context)
            let body = try await request.decodeJSON(NewVisit.self, context: context)
            return try JSON.response(
                try await addVisit(body, debtorID: debtorID, debtorName: debtorName, context: context), status: .created)
        }
        routes.on(.get, "/api/v1/debtors/:id/visits", .permitted(.readVisits)) { _, context in
            let (debtorID, _) = try await visitableDebtor(context)
            let user = try context.requireSession().user
            // A liaison reads the visits they made; the portrait's other sources are for the court.
            let list = try await visits.visits(debtorID: debtorID, submittedBy: user.role == .liaison ? user.id : nil)
            return try JSON.response(Items(items: list, nextCursor: nil))
        }
        routes.on(.get, "/api/v1/debtors/:id/portrait", .permitted(.readPortraits)) { _, context in
            let debtor = try await DebtorController(database: database, now: now).visibleDebtor(context)
            return try JSON.response(try await visits.portrait(debtorID: debtor.id))
        }
    }

    /// The townships this user may see: staff any (all, or the one asked for); a commissioner
    /// their own; a village liaison or assisting enforcer none (403: the network is the
    /// commissioner's to coordinate).
    func visibleTownships(_ context: AppRequestContext, asked: String?) async throws -> [TownshipNetwork] {
        let user = try context.requireSession().user
        if user.role == .liaison {
            guard user.liaisonKind == .commissioner, let own = user.townshipCode else {
                throw APIError(.forbidden, code: "forbidden", message: "乡镇网络情况仅执行专员和法院工作人员可查看")
            }
            if let asked, asked != own { throw APIError.notFound }
            return try await network.townships(own)
        }
        let townships = try await network.townships(asked.flatMap { $0.isEmpty ? nil : $0 })
        if let asked, !asked.isEmpty, townships.isEmpty { throw APIError.notFound }
        return townships
    }

    func assign(_ debtor: DebtorDetail, township: String, note: String?, context: AppRequestContext) async throws -> DebtorAssignment {
        let user = try context.requireSession().user
        let instant = now()
        return try await network.assign(
            debtorID: debtor.id, township: township.trimmed, note: note, by: user.id,
            audit: context.acting.audit(
                "debtor.assign", entity: "debtor", id: debtor.id, detail: "\(debtor.name) → \(township)",
                at: instant), now: instant)
    }

    func endAssignment(_ debtor: DebtorDetail, township: String, context: AppRequestContext) async throws -> Bool {
        let user = try context.requireSession().user
        let instant = now()
        return try await network.endAssignment(
            debtorID: debtor.id, township: township, by: user.id,
            audit: context.acting.audit(
                "debtor.unassign", entity: "debtor", id: debtor.id,
                detail: "\(debtor.name) ✕ \(township)", at: instant), now: instant)
    }

    /// The `:id` debtor if this user may record or read visits on them: a liaison in their scope,
    /// staff as for the debtor's page; 404 otherwise.
    func visitableDebtor(_ context: AppRequestContext) async throws -> (id: String, name: String) {
        let user = try context.requireSession().user
        guard let id = context.parameters.get("id") else { throw APIError.notFound }
        if user.role == .liaison {
            guard let township = user.townshipCode,
                let view = try await LeadRepository(database: database).debtor(id: id, township: township)
            else {
                throw APIError.notFound
            }
            return (view.id, view.name)
        }
        let debtor = try await DebtorController(database: database, now: now).visibleDebtor(context)
        return (debtor.id, debtor.name)
    }

    func addVisit(_ body: NewVisit, debtorID: String, debtorName: String, context: AppRequestContext) async throws -> StoredVisit {
        let user = try context.requireSession().user
        let instant = now()
        let today = ShanghaiClock.today(instant)
        let visit = try Visit(
            visitedOn: body.visitedOn ?? today, visitors: body.visitors, foundAtHome: body.foundAtHome, facts: body.facts,
            note: body.note, today: today)
        return try await visits.add(
            visit, debtorID: debtorID, submittedBy: user.id, township: user.role == .liaison ? user.townshipCode : nil,
            audit: context.acting.audit(
                "debtor.visit", entity: "debtor", id: debtorID,
                detail: "\(debtorName) \(visit.visitedOn)\(visit.foundAtHome ? " 见到本人" : "")", at: instant),
            now: instant)
    }
}

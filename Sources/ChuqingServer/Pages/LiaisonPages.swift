import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// The liaison's phone pages: the debtors of their township to look for (`/liaison`), one debtor
/// with the lead and visit forms (`/liaison/debtors/{id}`), and their leads with the judges'
/// answers (`/liaison/leads`). The lead form works without JavaScript (a server-made
/// Idempotency-Key in the form makes a resubmission harmless); with it, `liaison.js` keeps a lead
/// written without signal on the phone and sends it, once, when the connection returns.
struct LiaisonPages {
    let pages: PageRenderer
    let debtors: DebtorService
    let leads: LeadService
    let network: NetworkService
    let now: @Sendable () -> Date

    struct DebtorCard {
        let url: String
        let name: String
        let place: String
        let cases: [CaseLine]
        let assignment: String?
        let photoURL: String?
    }

    struct CaseLine {
        let caseNumber: String
        let outstanding: String
        let judge: String
        let judgePhone: String?
        let telURL: String?
    }

    struct LeadLine {
        let debtorURL: String
        let debtorName: String
        let kind: String
        let text: String
        let receivedAt: String
        let status: String
        let statusClass: String
        let verifyBy: String
        let overdue: Bool
        let reply: String?
        let position: Int
        let photos: Int
    }

    struct ListModel: PageModel {
        let page: PageChrome
        let township: String
        let debtors: [DebtorCard]
        let count: Int
        let leadsURL: String
        let open: Int
        let answered: Int
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct DebtorModel: PageModel {
        let page: PageChrome
        let debtor: DebtorCard
        let leadFormURL: String
        let visitFormURL: String
        let idempotencyKey: String
        let kinds: [Option]
        let today: String
        let form: [String: String]
        let urgent: Bool
        let leads: [LeadLine]
        let visits: [VisitLine]
        let scriptURL: String
        let maxPhotoMB: Int
        let visitor: String
    }

    struct VisitLine {
        let visitedOn: String
        let visitors: String
        let found: String
        let facts: String
    }

    struct LeadsModel: PageModel {
        let page: PageChrome
        let leads: [LeadLine]
    }

    /// What a successful form says after its redirect.
    static let savedMessages = ["lead": "线索已发送，法官会在期限内核实", "visit": "走访记录已保存"]

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.liaison.pattern, .permitted(.submitLeads), use: homePage)
        routes.on(.get, SiteURL.liaisonDebtor(id: "").pattern, .permitted(.submitLeads), use: showDebtor)
        routes.on(.get, SiteURL.liaisonDebtorPhoto(id: "").pattern, .permitted(.submitLeads), use: debtorPhoto)
        routes.on(.post, SiteURL.liaisonDebtorLeads(id: "").pattern, .permitted(.submitLeads), use: submitLead)
        routes.on(.post, SiteURL.liaisonDebtorVisits(id: "").pattern, .permitted(.submitLeads), use: recordVisit)
        routes.on(.get, SiteURL.liaisonLeads.pattern, .permitted(.submitLeads), use: leadsPage)
    }

    @Sendable func homePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let township = try leads.township(by: context.acting)
        let debtors = try await leads.debtorsToFind(by: context.acting)
        let mine = try await leads.myLeads(by: context.acting)
        let name = TownshipDirectory(try await network.allTownships(by: context.acting)).name(of: township)
        return pages.render(
            "liaison",
            model: ListModel(
                page: PageChrome(title: "查找名单", context: context, current: .liaison, flash: nil),
                township: name, debtors: debtors.map(Self.card), count: debtors.count, leadsURL: SiteURL.liaisonLeads.path,
                open: mine.filter(\.status.isOpen).count,
                answered: mine.filter { !$0.status.isOpen }.count))
    }

    @Sendable func showDebtor(_ request: Request, context: AppRequestContext) async throws -> Response {
        let debtor = try await scopedDebtor(context)
        let flash = request.uri.queryParameters.get("saved").flatMap { Self.savedMessages[$0] }.map(PageChrome.success)
        return try await debtorPage(debtor, context: context, flash: flash)
    }

    @Sendable func debtorPhoto(_ request: Request, context: AppRequestContext) async throws -> Response {
        let photo = try await debtors.photo(id: context.pathID, by: context.acting)
        return Response.privateImage(photo.bytes, contentType: photo.contentType)
    }

    @Sendable func submitLead(_ request: Request, context: AppRequestContext) async throws -> Response {
        let debtor = try await scopedDebtor(context)
        let form = try await request.decode(as: LeadForm.self, context: context)
        // liaison.js asks for JSON: it keeps the lead on the phone until the answer is a success.
        let wantsJSON = request.headers[.accept]?.contains("application/json") == true
        do {
            let input = LeadService.LeadInput(
                debtorID: debtor.id, kind: try Lead.Kind.parse(form.kind), text: form.text, place: form.place,
                seenOn: try form.seenOn?.nonEmpty.map { text throws(DomainError) in try CalendarDate.parse(text, field: "seenOn") },
                urgent: form.urgent == "on" || form.urgent == "true",
                photos: ["photo1", "photo2", "photo3"].compactMap { context.uploads[$0]?.data }.filter { !$0.isEmpty })
            let (lead, created) = try await leads.submit(input, idempotencyKey: form.idempotencyKey, by: context.acting)
            if wantsJSON { return try JSON.response(LeadResponse(lead), status: created ? .created : .ok) }
            return Response(status: .seeOther, headers: [.location: SiteURL.liaisonDebtor(id: debtor.id.databaseText).path + "?saved=lead"])
        } catch let error as DomainError {
            if wantsJSON { throw error }
            return try await debtorPage(
                debtor, context: context, flash: PageChrome.error(error), keep: context.form, status: APIError(error).status)
        }
    }

    /// A lead as the liaison's form (or liaison.js, from its queue) sends it; photos are uploads.
    struct LeadForm: Decodable {
        @FormText var kind: String
        @FormText var text: String
        var place: String?
        var seenOn: String?
        /// A checkbox ("on"), or "true" from liaison.js.
        var urgent: String?
        /// Set by the page (and kept by liaison.js) so that a lead sent twice is stored once.
        var idempotencyKey: String?
    }

    @Sendable func recordVisit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let debtor = try await scopedDebtor(context)
        let form = try await request.decode(as: VisitForm.self, context: context)
        do {
            _ = try await network.addVisit(try form.input(), debtorID: debtor.id, by: context.acting)
            return Response(
                status: .seeOther, headers: [.location: SiteURL.liaisonDebtor(id: debtor.id.databaseText).path + "?saved=visit#visits"])
        } catch let error as DomainError {
            return try await debtorPage(
                debtor, context: context, flash: PageChrome.error(error), keep: context.form, status: APIError(error).status)
        }
    }

    @Sendable func leadsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let mine = try await leads.myLeads(by: context.acting)
        return pages.render(
            "liaison-leads",
            model: LeadsModel(
                page: PageChrome(title: "我的线索", context: context, current: .liaisonLeads, flash: nil),
                leads: mine.reversed().map(Self.line)))
    }

    /// The `:id` debtor in the liaison's scope; 404 for any other (existence does not leak).
    func scopedDebtor(_ context: AppRequestContext) async throws -> LiaisonDebtorView {
        try await debtors.liaisonDebtor(id: context.pathID, by: context.acting)
    }

    /// The visit form, the liaison's and the staff's alike: who went, whether the debtor was met,
    /// and what was seen (a fact left out is not asked about).
    struct VisitForm: Decodable {
        var visitedOn: String?
        @FormText var visitors: String
        /// "yes" or "no": a radio button nobody may skip.
        var foundAtHome: String?
        var currentAddress: String?
        var phone: String?
        var work: String?
        var whereabouts: String?
        var family: String?
        var assetsSeen: String?
        var attitude: String?
        var note: String?

        func input() throws(DomainError) -> NetworkService.VisitInput {
            guard let found = foundAtHome, found == "yes" || found == "no" else {
                throw DomainError(code: "found_at_home_required", message: "请选择是否见到被执行人本人", field: "foundAtHome")
            }
            return NetworkController.NewVisit(
                visitedOn: try visitedOn?.nonEmpty.map { text throws(DomainError) in try CalendarDate.parse(text, field: "visitedOn") },
                visitors: visitors, foundAtHome: found == "yes", currentAddress: currentAddress, phone: phone, work: work,
                whereabouts: whereabouts, family: family, assetsSeen: assetsSeen, attitude: attitude, note: note
            ).input
        }
    }

    private func debtorPage(
        _ debtor: LiaisonDebtorView, context: AppRequestContext, flash: PageChrome.Flash?, keep form: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireSession().user
        let today = ShanghaiClock.today(now())
        let mine = try await leads.myLeads(debtorID: debtor.id, by: context.acting)
        let visits = try await network.visits(debtorID: debtor.id, by: context.acting)  // a liaison's own
        return pages.render(
            "liaison-debtor",
            model: DebtorModel(
                page: PageChrome(title: debtor.name, context: context, current: .liaison, flash: flash),
                debtor: Self.card(debtor), leadFormURL: SiteURL.liaisonDebtorLeads(id: debtor.id.databaseText).path,
                visitFormURL: SiteURL.liaisonDebtorVisits(id: debtor.id.databaseText).path,
                // A new key for each form shown; a refused form keeps its key, so fixing and resending
                // it is still the same lead.
                idempotencyKey: form["idempotencyKey"].flatMap { $0.isEmpty ? nil : $0 } ?? UUID().databaseText,
                kinds: Lead.Kind.allCases.map { Option(value: $0.rawValue, label: $0.chinese, selected: $0.rawValue == form["kind"]) },
                today: today.description, form: form, urgent: form["urgent"] == "on",
                leads: mine.map(Self.line),
                visits: visits.reversed().map { visit in
                    VisitLine(
                        visitedOn: visit.visitedOn.description, visitors: visit.visitors, found: visit.foundAtHome ? "见到本人" : "未见到本人",
                        facts: Visit.Fact.allCases.compactMap { fact in visit.facts[fact].map { "\(fact.chinese)：\($0)" } }.joined(
                            separator: "；"))
                },
                scriptURL: SiteURL.liaisonScript.path, maxPhotoMB: LeadPhoto.maxBytes >> 20, visitor: user.displayName), status: status)
    }

    static func card(_ debtor: LiaisonDebtorView) -> DebtorCard {
        DebtorCard(
            url: SiteURL.liaisonDebtor(id: debtor.id.databaseText).path, name: debtor.name,
            place: [debtor.township, debtor.village].compactMap { $0 }.joined(separator: " "),
            cases: debtor.cases.map { item in
                CaseLine(
                    caseNumber: item.caseNumber, outstanding: item.outstanding.formatted, judge: item.judgeName ?? "—",
                    judgePhone: item.judgePhone, telURL: item.judgePhone.map { "tel:" + $0.filter { $0.isNumber || $0 == "+" } })
            },
            assignment: debtor.assignment.map { $0.isEmpty ? "法官指派查找" : "法官指派查找：\($0)" },
            photoURL: debtor.hasPhoto ? SiteURL.liaisonDebtorPhoto(id: debtor.id.databaseText).path : nil)
    }

    static func line(_ lead: StoredLead) -> LeadLine {
        LeadLine(
            debtorURL: SiteURL.liaisonDebtor(id: lead.debtorID.databaseText).path, debtorName: lead.debtorName,
            kind: lead.kind.chinese, text: lead.text, receivedAt: Display.time(lead.receivedAt),
            status: lead.status.chinese, statusClass: lead.status.rawValue, verifyBy: lead.verifyBy.description, overdue: lead.overdue,
            reply: lead.reply,
            position: lead.position, photos: lead.photoCount)
    }
}

import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// The debtor page: a debtor with all their cases, payments and history; their photo; and the
/// township network's part — the portrait from household visits, the leads, the townships asked
/// to look for them.
struct DebtorPages {
    let pages: PageRenderer
    let now: @Sendable () -> Date
    let debtors: DebtorService
    let network: NetworkService

    struct DebtorModel: PageModel {
        let page: PageChrome
        let name: String
        let kind: String
        let idNumber: String
        let legalRepresentative: String?
        let address: String
        let phone: String
        let township: String
        let village: String
        let employer: String?
        /// 国家工作人员、人大代表（县级）…; nil when none.
        let standings: String?
        /// The standing form, for the director and judges.
        let standing: StandingForm?
        let cases: [CasePages.CaseRow]
        let totalUnperformed: String
        let photoURL: String?
        /// The photo upload form's address, for the director and judges.
        let photoFormURL: String?
        let payments: [EventRow]
        let history: [EventRow]
        /// Nil for the admin, who runs the system and does not read portraits.
        let network: DebtorNetwork?
    }

    /// The township network's part of a debtor's page: the portrait built from household visits,
    /// the leads on them in arrival order, the townships asked to look for them.
    struct DebtorNetwork {
        struct PortraitRow {
            let label: String
            let value: String
            let source: String
            let earlier: [String]
            let hasEarlier: Bool
        }
        struct LeadRow {
            let position: Int
            let kind: String
            let text: String
            let from: String
            let receivedAt: String
            let status: String
            let statusClass: String
        }
        struct AssignmentRow {
            let township: String
            let note: String?
            let by: String
            let endURL: String?
        }
        struct TownshipOption {
            let code: String
            let name: String
        }
        let portrait: [PortraitRow]
        let visitSummary: String
        let leads: [LeadRow]
        let assignments: [AssignmentRow]
        let assignURL: String?
        let townships: [TownshipOption]
        let visitURL: String?
        let visitor: String
        let today: String
    }

    struct EventRow {
        let caseURL: String
        let caseNumber: String
        let when: String
        let text: String
    }

    /// The form that records a debtor's standings as a public official (issue 18 item 1).
    struct StandingForm {
        struct Choice {
            let value: String
            let label: String
            let checked: Bool
        }
        let url: String
        let standings: [Choice]
        let levels: [Choice]
        let employer: String
        let superior: String
        let verifiedBy: String
    }

    static func standingForm(_ debtor: DebtorDetail, url: String) -> StandingForm {
        let profile = debtor.official
        return StandingForm(
            url: url,
            standings: OfficialStanding.allCases.map {
                .init(value: $0.rawValue, label: $0.chinese, checked: profile.standings.contains($0))
            },
            levels: [.init(value: "", label: "（不是人大代表）", checked: profile.deputyLevel == nil)]
                + DeputyLevel.allCases.map { .init(value: $0.rawValue, label: $0.chinese, checked: profile.deputyLevel == $0) },
            employer: debtor.employer ?? "", superior: profile.superior ?? "", verifiedBy: profile.verifiedBy ?? "")
    }

    /// The standing form as posted: a ticked box `standing-<name>` for each standing.
    struct StandingPost: Decodable {
        @FormText var deputyLevel: String
        @FormText var employer: String
        @FormText var employerSuperior: String
        @FormText var standingVerifiedBy: String
    }

    @Sendable func setStanding(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: StandingPost.self, context: context)
        return try await debtorForm(context, saved: "standing") {
            _ = try await debtors.update(
                id: context.pathID, DebtorChanges(),
                standing: .init(
                    standings: OfficialStanding.allCases.map(\.rawValue).filter { context.form["standing-\($0)"] != nil },
                    deputyLevel: form.deputyLevel, employer: form.employer.trimmed,
                    superior: form.employerSuperior, verifiedBy: form.standingVerifiedBy), by: context.acting)
        }
    }

    /// What a successful form says after its redirect (fixed texts: nothing from the query string
    /// is shown).
    static let savedMessages: [String: String] = [
        "photo": "已上传照片",
        "assign": "已指派乡镇协助查找",
        "unassign": "已结束指派",
        "visit": "走访记录已保存",
        "standing": "已保存公职身份",
    ]

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.debtorDetail(id: "").pattern, .permitted(.readCases), use: showDebtor)
        routes.on(.get, SiteURL.debtorPhoto(id: "").pattern, .permitted(.readCases), use: photo)
        routes.on(.post, SiteURL.debtorPhoto(id: "").pattern, .permitted(.changeCases), use: setPhoto)
        routes.on(.post, SiteURL.debtorAssignments(id: "").pattern, .permitted(.changeCases), use: assign)
        routes.on(.post, SiteURL.debtorAssignmentEnd(id: "", township: "").pattern, .permitted(.changeCases), use: unassign)
        routes.on(.post, SiteURL.debtorVisits(id: "").pattern, .permitted(.recordVisitsAsStaff), use: recordVisit)
        routes.on(.post, SiteURL.debtorStanding(id: "").pattern, .permitted(.changeCases), use: setStanding)
    }

    @Sendable func showDebtor(_ request: Request, context: AppRequestContext) async throws -> Response {
        let debtor = try await debtors.visibleDebtor(id: context.pathID, by: context.acting)
        let saved = request.uri.queryParameters.get("saved").flatMap { Self.savedMessages[$0] }
        return try await debtorPage(debtor, context: context, flash: saved.map(PageChrome.success))
    }

    @Sendable func photo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let photo = try await debtors.photo(id: context.pathID, by: context.acting)
        return Response.privateImage(photo.bytes, contentType: photo.contentType)
    }

    @Sendable func setPhoto(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await debtorForm(context, saved: "photo") {
            guard let file = context.uploads["photo"] else {
                throw DomainError(code: "empty_photo", message: "请选择照片（JPEG 或 PNG）", field: "photo")
            }
            try await debtors.setPhoto(id: context.pathID, try DebtorPhoto(file.data), by: context.acting)
        }
    }

    /// The assignment form: the township (code or name) that is to look for the debtor.
    struct AssignmentForm: Decodable {
        @FormText var township: String
        var note: String?
    }

    @Sendable func assign(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: AssignmentForm.self, context: context)
        return try await debtorForm(context, saved: "assign#network") {
            _ = try await network.assign(debtorID: context.pathID, township: form.township, note: form.note, by: context.acting)
        }
    }

    @Sendable func unassign(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await debtorForm(context, saved: "unassign#network") {
            try await network.endAssignment(
                debtorID: context.pathID, township: context.parameters.get("township") ?? "", by: context.acting)
        }
    }

    @Sendable func recordVisit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: LiaisonPages.VisitForm.self, context: context)
        return try await debtorForm(context, saved: "visit#network") {
            _ = try await network.addVisit(try form.input(), debtorID: context.pathID, by: context.acting)
        }
    }

    /// A debtor page's form: `submit` calls the service; a broken rule shows the debtor page again
    /// with the message.
    private func debtorForm(_ context: AppRequestContext, saved: String, _ submit: () async throws -> Void) async throws -> Response {
        do {
            try await submit()
            return Response(
                status: .seeOther, headers: [.location: SiteURL.debtorDetail(id: try context.pathID.databaseText).path + "?saved=\(saved)"])
        } catch let error as DomainError {
            let debtor = try await debtors.visibleDebtor(id: context.pathID, by: context.acting)
            return try await debtorPage(debtor, context: context, flash: PageChrome.error(error), status: APIError(error).status)
        }
    }

    private func debtorNetwork(_ debtor: DebtorDetail, user: User, acting: ActingUser) async throws -> DebtorNetwork {
        let section = try await network.debtorSection(debtorID: debtor.id, by: acting)
        let (portrait, leads, assignments) = (section.portrait, section.leads, section.assignments)
        let canAssign = user.may(.changeCases)
        let townships = canAssign ? try await network.allTownships(by: acting) : []
        return DebtorNetwork(
            portrait: portrait.fields.map { field in
                DebtorNetwork.PortraitRow(
                    label: field.label, value: field.current.value,
                    source: "\(field.current.observedOn) · \(field.current.visitors)",
                    earlier: field.values.dropFirst().map { "\($0.observedOn) \($0.value)（\($0.visitors)）" },
                    hasEarlier: field.values.count > 1)
            },
            visitSummary: portrait.visitCount == 0
                ? "尚无入户走访记录"
                : "入户走访 \(portrait.visitCount) 次，最近 \(portrait.lastVisitedOn!)"
                    + (portrait.lastFoundOn.map { "；最近见到本人 \($0)" } ?? "；从未见到本人"),
            leads: leads.map { lead in
                DebtorNetwork.LeadRow(
                    position: lead.position, kind: lead.kind.chinese, text: lead.text,
                    from: "\(lead.liaisonName)（\(lead.township ?? "")）", receivedAt: Display.time(lead.receivedAt),
                    status: lead.status.chinese, statusClass: lead.status.rawValue)
            },
            assignments: assignments.map { item in
                DebtorNetwork.AssignmentRow(
                    township: item.township, note: item.note, by: item.assignedBy ?? "—",
                    endURL: canAssign ? SiteURL.debtorAssignmentEnd(id: debtor.id.databaseText, township: item.townshipCode).path : nil)
            },
            assignURL: canAssign ? SiteURL.debtorAssignments(id: debtor.id.databaseText).path : nil,
            townships: townships.map { .init(code: $0.code, name: $0.name) },
            visitURL: user.may(.recordVisitsAsStaff) ? SiteURL.debtorVisits(id: debtor.id.databaseText).path : nil,
            visitor: user.displayName, today: ShanghaiClock.today(now()).description)
    }

    private func debtorPage(
        _ debtor: DebtorDetail, context: AppRequestContext, flash: PageChrome.Flash?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireSession().user
        let network = user.may(.readPortraits) ? try await debtorNetwork(debtor, user: user, acting: context.acting) : nil
        let page = PageChrome(title: debtor.name, context: context, current: .cases, flash: flash)
        return pages.render("debtor", model: Self.debtorModel(debtor, network: network, page: page, user: user), status: status)
    }

    /// The debtor page's model: the debtor, their cases, payments and history, and the network
    /// section when `user` may read it.
    static func debtorModel(_ debtor: DebtorDetail, network: DebtorNetwork?, page: PageChrome, user: User) -> DebtorModel {
        let id = debtor.id.databaseText
        return DebtorModel(
            page: page, name: debtor.name, kind: debtor.kind.chinese, idNumber: debtor.idNumber,
            legalRepresentative: debtor.legalRepresentative, address: debtor.address ?? "—", phone: debtor.phone ?? "—",
            township: debtor.township ?? "—", village: debtor.village ?? "—",
            employer: debtor.isPublicOfficial ? (debtor.employer ?? "") : nil,
            standings: debtor.official.isOfficial ? debtor.official.chinese : nil,
            standing: user.may(.changeCases) ? standingForm(debtor, url: SiteURL.debtorStanding(id: id).path) : nil,
            cases: debtor.cases.map(CasePages.CaseRow.init),
            totalUnperformed: debtor.cases.reduce(Money.zero) { $0 + $1.unperformed }.formatted,
            photoURL: debtor.hasPhoto ? SiteURL.debtorPhoto(id: id).path : nil,
            photoFormURL: user.may(.changeCases) ? SiteURL.debtorPhoto(id: id).path : nil,
            payments: debtor.payments.map {
                .init(
                    caseURL: SiteURL.caseDetail(id: $0.caseID.databaseText).path, caseNumber: $0.caseNumber.canonical,
                    when: $0.event.receivedOn.description, text: "\($0.event.amount.formatted) \($0.event.method.chinese)")
            },
            history: debtor.history.map {
                .init(
                    caseURL: SiteURL.caseDetail(id: $0.caseID.databaseText).path, caseNumber: $0.caseNumber.canonical,
                    when: Display.time($0.event.occurredAt),
                    text: "\($0.event.actor ?? "系统")：" + [$0.event.detail, $0.event.reason].filter { !$0.isEmpty }.joined(separator: "："))
            },
            network: network)
    }
}

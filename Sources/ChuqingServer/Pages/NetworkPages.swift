import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird

/// The court's side of the township network: the triage queue of leads and tips (`/leads`), the
/// network and its figures (`/network`, `/network/{code}`), and on a debtor's page the township
/// assignments and household visits (`/debtors/{id}/assignments`, `/debtors/{id}/visits`).
struct NetworkPages {
    let pages: PageRenderer
    let network: NetworkService
    let leads: LeadService
    let tips: TipService
    let triage: TriageService

    struct Option {
        let value: String
        let label: String
    }

    struct QueueRow {
        let source: String
        let id: String
        let debtorURL: String?
        let debtorName: String
        let caseNumber: String?
        let kindName: String
        let text: String
        let place: String?
        let from: String
        let township: String?
        let isUrgent: Bool
        let status: String
        let statusName: String
        let verifyBy: String
        let overdue: Bool
        let receivedAt: String
        let reply: String?
        let outcome: String?
        let position: Int?
        let photos: [String]
        let hasPhotos: Bool
        let isOpen: Bool
        let canStart: Bool
        let canDecide: Bool
        let formURL: String
        let outcomes: [Option]
    }

    struct QueueModel: PageModel {
        let page: PageChrome
        let items: [QueueRow]
        let open: Int
        let overdue: Int
        let showAll: Bool
        let tipFormURL: String
        let tipsURL: String
    }

    struct TownshipRow {
        let url: String
        let name: String
        let members: Int
        let villages: Int
        let figures: NetworkFigures
    }

    struct NetworkModel: PageModel {
        let page: PageChrome
        let townships: [TownshipRow]
        let totals: NetworkFigures
    }

    struct MemberRow {
        let name: String
        let kind: String
        let village: String
        let disabled: Bool
        let figures: NetworkFigures
    }

    struct TownshipModel: PageModel {
        let page: PageChrome
        let name: String
        let villages: [String]
        let members: [MemberRow]
        let figures: NetworkFigures
        let backURL: String?
    }

    static let savedMessages = ["status": "已更新线索状态"]

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.triage.pattern, .permitted(.readTriage), use: triagePage)
        routes.on(.post, SiteURL.triageStatus(source: "", id: "").pattern, .permitted(.triage), use: changeStatus)
        routes.on(.get, SiteURL.leadPhoto(id: "", position: 0).pattern, .permitted(.readTriage), use: leadPhoto)
        routes.on(.get, SiteURL.network.pattern, .permitted(.readDebtors), use: networkPage)
        routes.on(.get, SiteURL.networkTownship(code: "").pattern, .permitted(.readDebtors), use: showTownship)
    }

    @Sendable func triagePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let showAll = request.uri.queryParameters.get("all") == "1"
        let flash = request.uri.queryParameters.get("saved").flatMap { Self.savedMessages[$0] }.map(PageChrome.success)
        return try await queuePage(triage, context: context, showAll: showAll, flash: flash)
    }

    /// A lead's or tip's new status, the reply the liaison reads, and what came of it.
    struct StatusForm: Decodable {
        @FormText var status: String
        var reply: String?
        var outcome: String?
    }

    @Sendable func changeStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decode(as: StatusForm.self, context: context)
        // the outcome select's value is kind:id (a payment, a measure, a look-up …)
        let outcome = form.outcome?.nonEmpty?.split(separator: ":", maxSplits: 1).map(String.init)
        do {
            switch context.parameters.get("source") {
            case "lead":
                _ = try await leads.changeStatus(
                    leadID: context.pathID, to: try LeadStatus.parse(form.status), reply: form.reply,
                    outcomeKind: outcome?.first, outcomeID: outcome?.last, by: context.acting)
            case "tip":
                _ = try await tips.changeStatus(
                    tipID: context.pathID, to: try LeadStatus.parse(form.status), reply: form.reply,
                    outcomeKind: outcome?.first, outcomeID: outcome?.last, by: context.acting)
            default:
                throw APIError.notFound
            }
            return Response(status: .seeOther, headers: [.location: SiteURL.triage.path + "?saved=status"])
        } catch let error as DomainError {
            return try await queuePage(
                triage, context: context, showAll: false, flash: PageChrome.error(error), status: APIError(error).status)
        }
    }

    @Sendable func leadPhoto(_ request: Request, context: AppRequestContext) async throws -> Response {
        let photo = try await leads.photo(
            leadID: context.pathID, position: context.parameters.get("n").flatMap(Int.init), by: context.acting)
        return Response.privateImage(photo.bytes, contentType: photo.contentType)
    }

    @Sendable func networkPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireSession().user
        if user.role == .liaison {
            // A commissioner's network is their township.
            let townships = try await network.townships(asked: nil, by: context.acting)
            return townshipPage(townships[0], context: context, back: false)
        }
        let townships = try await network.townships(asked: nil, by: context.acting)
        var totals = NetworkFigures()
        for township in townships {
            totals.leadsSubmitted += township.figures.leadsSubmitted
            totals.leadsVerified += township.figures.leadsVerified
            totals.leadsLeadingToRecovery += township.figures.leadsLeadingToRecovery
            totals.visits += township.figures.visits
        }
        return pages.render(
            "network",
            model: NetworkModel(
                page: PageChrome(title: "乡镇网络", context: context, current: .network, flash: nil),
                townships: townships.map {
                    TownshipRow(
                        url: SiteURL.networkTownship(code: $0.code).path, name: $0.name, members: $0.members.count,
                        villages: $0.villages.count,
                        figures: $0.figures)
                }, totals: totals))
    }

    @Sendable func showTownship(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let code = context.parameters.get("code"),
            let township = try await network.townships(asked: code, by: context.acting).first
        else {
            throw APIError.notFound
        }
        return townshipPage(township, context: context, back: try context.requireSession().user.role != .liaison)
    }

    private func townshipPage(_ township: TownshipNetwork, context: AppRequestContext, back: Bool) -> Response {
        pages.render(
            "network-township",
            model: TownshipModel(
                page: PageChrome(title: "\(township.name) · 乡镇网络", context: context, current: .network, flash: nil),
                name: township.name, villages: township.villages.map(\.name),
                members: township.members.map {
                    MemberRow(
                        name: $0.displayName, kind: $0.kind.chinese, village: $0.village ?? "全乡镇", disabled: $0.disabled,
                        figures: $0.figures)
                },
                figures: township.figures, backURL: back ? SiteURL.network.path : nil))
    }

    private func queuePage(
        _ triage: TriageService, context: AppRequestContext, showAll: Bool, flash: PageChrome.Flash?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try context.requireSession().user
        let queue = try await triage.queue(openOnly: !showAll, by: context.acting)
        let canTriage = user.may(.triage)
        let options = try await triage.outcomeOptions(
            debtorIDs: Array(Set(queue.items.filter { LeadStatus(rawValue: $0.status)?.isOpen ?? false }.compactMap(\.debtorId))),
            by: context.acting)
        return pages.render(
            "triage",
            model: QueueModel(
                page: PageChrome(title: "线索核实", context: context, current: .triage, flash: flash),
                items: queue.items.map { item in
                    let state = LeadStatus(rawValue: item.status) ?? .new
                    return QueueRow(
                        source: item.source, id: item.id, debtorURL: item.debtorId.map { SiteURL.debtorDetail(id: $0).path },
                        debtorName: item.debtorName ?? "未指明对象", caseNumber: item.caseNumber, kindName: item.kindName, text: item.text,
                        place: item.place,
                        from: item.from, township: item.township, isUrgent: item.isUrgent, status: item.status, statusName: item.statusName,
                        verifyBy: item.verifyBy ?? "—", overdue: item.overdue, receivedAt: Display.time(item.receivedAt), reply: item.reply,
                        outcome: item.outcome.map { "\($0.kind.chinese) \($0.id.prefix(8))" }, position: item.position,
                        photos: item.photoCount > 0 ? (1...item.photoCount).map { SiteURL.leadPhoto(id: item.id, position: $0).path } : [],
                        hasPhotos: item.photoCount > 0, isOpen: state.isOpen, canStart: canTriage && state == .new,
                        canDecide: canTriage && state.isOpen,
                        formURL: SiteURL.triageStatus(source: item.source, id: item.id).path,
                        outcomes: (item.debtorId.flatMap { options[$0] } ?? []).map {
                            Option(value: "\($0.outcome.kind.rawValue):\($0.outcome.id)", label: $0.label)
                        })
                },
                open: queue.open, overdue: queue.overdue, showAll: showAll, tipFormURL: TipController.formPath, tipsURL: SiteURL.tips.path),
            status: status)
    }
}

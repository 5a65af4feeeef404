import ChuqingDomain
import ChuqingPersistence
import Foundation
import Hummingbird

/// The case search, the case page and the debtor page.
struct CasePages {
    let database: Database
    let pages: PageRenderer

    struct CaseRow {
        let url: String
        let caseNumber: String
        let debtors: String
        let filedOn: String
        let status: String
        let target: String
        let unperformed: String
        let judge: String
        let township: String

        init(_ summary: CaseSummary) {
            url = SiteURL.caseDetail(id: summary.id).path
            caseNumber = summary.caseNumber
            debtors = summary.debtors.map(\.name).joined(separator: "、")
            filedOn = summary.filedOn
            status = summary.statusName
            target = Money(fen: summary.targetFen).formatted
            unperformed = Money(fen: summary.unperformedFen).formatted
            judge = summary.judgeName ?? ""
            township = summary.township ?? ""
        }
    }

    struct SearchModel: PageModel {
        struct Option { let value: String; let label: String; let selected: Bool }
        let page: PageChrome
        let query: [String: String]
        let statuses: [Option]
        let townships: [Option]
        let rows: [CaseRow]
        let nextURL: String?
        let count: Int
    }

    struct CaseModel: PageModel {
        struct DebtorRow { let url: String; let name: String; let kind: String; let idNumber: String; let township: String; let official: String }
        struct PaymentRow { let receivedOn: String; let amount: String; let method: String }
        struct HistoryRow { let time: String; let on: String; let actor: String; let text: String }
        let page: PageChrome
        let caseNumber: String
        let court: String
        let status: String
        let filedOn: String
        let closedOn: String
        let judge: String
        let township: String
        let applicants: String
        let basis: String
        let issuer: String
        let duty: String
        let target: String
        let performed: String
        let unperformed: String
        let performance: String
        let resumedFromURL: String?
        let resumedFrom: String?
        let resumedAsURL: String?
        let resumedAs: String?
        let debtors: [DebtorRow]
        let payments: [PaymentRow]
        let history: [HistoryRow]
    }

    struct DebtorModel: PageModel {
        let page: PageChrome
        let name: String
        let kind: String
        let idNumber: String
        let legalRepresentative: String?
        let address: String
        let phone: String
        let township: String
        let employer: String?
        let cases: [CaseRow]
        let totalUnperformed: String
    }

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.cases.pattern, .roles(CaseController.readers)) { request, context in
            let user = try context.requireSession().user
            var query: [String: String] = [:]
            for key in ["caseNumber", "debtorName", "idNumber", "status", "township", "filedFrom", "filedTo"] {
                if let value = request.uri.queryParameters.get(key), !value.isEmpty { query[key] = value }
            }
            var flash: PageChrome.Flash?
            var filter = CaseFilter()
            do {
                filter = try CaseController.filter(from: request)
            } catch let error as APIError {
                flash = PageChrome.error(error.message)
            }
            if user.role == .judge { filter.visibleToJudge = user.id }
            let page: (items: [CaseSummary], nextCursor: String?) = flash == nil
                ? try await CaseRepository(database: database).search(filter, limit: 50, after: request.uri.queryParameters.get("cursor"))
                : ([], nil)
            let townships = try await SQLTownshipRepository().all(on: database.sql)
            var nextURL: String?
            if let next = page.nextCursor {
                var parts = query.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                parts.append("cursor=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
                nextURL = SiteURL.cases.path + "?" + parts.sorted().joined(separator: "&")
            }
            return pages.render("cases", model: SearchModel(
                page: PageChrome(title: "案件查询", context: context, current: .cases, flash: flash),
                query: query,
                statuses: CaseStatus.allCases.map { .init(value: $0.rawValue, label: $0.chinese, selected: query["status"] == $0.rawValue) },
                townships: townships.map { .init(value: $0.code, label: $0.name, selected: query["township"] == $0.code) },
                rows: page.items.map(CaseRow.init), nextURL: nextURL, count: page.items.count),
                status: flash == nil ? .ok : .badRequest)
        }
        routes.on(.get, SiteURL.caseDetail(id: "").pattern, .roles(CaseController.readers)) { _, context in
            let detail = try await CaseController(database: database, now: Date.init).visibleCase(context)
            let s = detail.summary
            return pages.render("case", model: CaseModel(
                page: PageChrome(title: s.caseNumber, context: context, current: .cases, flash: nil),
                caseNumber: s.caseNumber, court: "\(s.court.name)（\(s.court.code)）", status: s.statusName, filedOn: s.filedOn,
                closedOn: s.closedOn ?? "—", judge: s.judgeName ?? "—", township: s.township ?? "—",
                applicants: detail.applicants.joined(separator: "、"), basis: detail.judgment.documentNumber, issuer: detail.judgment.issuedBy,
                duty: detail.judgment.duty ?? "—", target: Money(fen: s.targetFen).formatted, performed: Money(fen: s.performedFen).formatted,
                unperformed: Money(fen: s.unperformedFen).formatted,
                performance: PerformanceStatus(rawValue: s.performance)?.chinese ?? s.performance,
                resumedFromURL: detail.resumedFrom.map { SiteURL.caseDetail(id: $0.id).path }, resumedFrom: detail.resumedFrom?.caseNumber,
                resumedAsURL: detail.resumedAs.map { SiteURL.caseDetail(id: $0.id).path }, resumedAs: detail.resumedAs?.caseNumber,
                debtors: s.debtors.map { .init(url: SiteURL.debtorDetail(id: $0.id).path, name: $0.name,
                                               kind: DebtorKind(rawValue: $0.kind)?.chinese ?? $0.kind, idNumber: $0.idNumber,
                                               township: $0.township ?? "", official: $0.isPublicOfficial ? "公职人员（\($0.employer ?? "")）" : "") },
                payments: detail.payments.map { .init(receivedOn: $0.receivedOn, amount: Money(fen: $0.amountFen).formatted, method: Self.method($0.method)) },
                history: detail.history.map { .init(time: Display.time($0.occurredAt), on: $0.on ?? "", actor: $0.actor ?? "系统",
                                                    text: [$0.detail, $0.reason].filter { !$0.isEmpty }.joined(separator: "：")) }))
        }
        routes.on(.get, SiteURL.debtorDetail(id: "").pattern, .roles(CaseController.readers)) { _, context in
            let user = try context.requireSession().user
            guard let id = context.parameters.get("id"),
                  let debtor = try await DebtorRepository(database: database).detail(id: id.lowercased(), visibleToJudge: user.role == .judge ? user.id : nil)
            else { throw APIError.notFound }
            let unperformed = debtor.cases.reduce(Int64(0)) { $0 + $1.unperformedFen }
            return pages.render("debtor", model: DebtorModel(
                page: PageChrome(title: debtor.name, context: context, current: .cases, flash: nil),
                name: debtor.name, kind: DebtorKind(rawValue: debtor.kind)?.chinese ?? debtor.kind, idNumber: debtor.idNumber,
                legalRepresentative: debtor.legalRepresentative, address: debtor.address ?? "—", phone: debtor.phone ?? "—",
                township: debtor.township ?? "—", employer: debtor.isPublicOfficial ? (debtor.employer ?? "") : nil,
                cases: debtor.cases.map(CaseRow.init), totalUnperformed: Money(fen: unperformed).formatted))
        }
    }

    static func method(_ raw: String) -> String {
        switch raw {
        case "voluntary": "自动履行"
        case "deduction": "扣划"
        case "auction": "拍卖"
        case "settlementInstalment": "和解分期"
        default: raw
        }
    }
}

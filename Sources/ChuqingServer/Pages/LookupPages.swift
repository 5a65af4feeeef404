import ChuqingDomain
import ChuqingPersistence
import Foundation
import Hummingbird

/// A case's asset look-ups (`/cases/{id}/lookups`: the list and the form to start one) and one
/// look-up (`/lookups/{id}`), which reloads itself every two seconds while categories are still
/// being answered, so they fill in without any script.
struct LookupPages {
    let database: Database
    let pages: PageRenderer
    let runner: LookupRunner
    let now: @Sendable () -> Date

    struct Option { let value: String; let label: String; let checked: Bool }
    struct Row { let url: String; let debtor: String; let status: String; let statusClass: String; let when: String; let by: String; let progress: String }

    struct CaseLookupsModel: PageModel {
        let page: PageChrome
        let caseNumber: String
        let caseURL: String
        let formURL: String?
        let debtors: [Option]
        let categories: [Option]
        let legalBasis: String
        let lookups: [Row]
    }

    struct FindingRow { let kind: String; let description: String; let identifier: String?; let value: String?; let holder: String? }
    struct CategoryRow {
        let name: String; let status: String; let statusClass: String; let attempts: Int; let reason: String?; let digest: String?
        let findings: [FindingRow]; let nothing: Bool; let retryURL: String?
    }

    struct LookupModel: PageModel {
        var page: PageChrome
        let caseNumber: String
        let caseURL: String
        let debtor: String
        let legalBasis: String
        let status: String
        let statusClass: String
        let requested: String
        let finished: String?
        let categories: [CategoryRow]
        let summary: String
    }

    static let defaultBasis = "《最高人民法院关于民事执行中财产调查若干问题的规定》第十二条"

    var repository: AssetLookupRepository { AssetLookupRepository(database: database) }

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.caseLookups(id: "").pattern, .roles(AssetLookupController.readers)) { _, context in
            try await caseLookupsPage(try await CaseController.visibleCase(context, database: database), context: context, flash: nil)
        }
        routes.on(.post, SiteURL.caseLookups(id: "").pattern, .roles(AssetLookupController.starters)) { _, context in
            let detail = try await CaseController.visibleCase(context, database: database)
            let form = context.form
            do {
                try AssetLookup.checkCaseOpen(try CaseStatus.parse(detail.summary.status), caseNumber: detail.summary.caseNumber)
                let chosen = try await repository.catalogue().map(\.code).filter { form["category.\($0)"] == "on" }
                guard !chosen.isEmpty else {
                    throw DomainError(code: "no_categories", message: "请至少选择一个数据类别", field: "categories")
                }
                let request = try AssetLookup.Request(categories: chosen, legalBasis: form["legalBasis"] ?? "", catalogue: try await repository.catalogue())
                let user = try context.requireSession().user
                let instant = now()
                let lookup = try await repository.create(
                    caseID: detail.summary.id, debtorID: form["debtorId"] ?? "", request: request, purpose: .manual, requestedBy: user.id,
                    audit: context.actor.audit("lookup.start", entity: "case", id: detail.summary.id,
                                               detail: "\(detail.summary.caseNumber) \(request.categories.count) 类：\(request.legalBasis)", at: instant),
                    now: instant)
                runner.start(lookupID: lookup.id)
                return Response(status: .seeOther, headers: [.location: SiteURL.lookup(id: lookup.id).path])
            } catch let error as DomainError {
                return try await caseLookupsPage(detail, context: context, flash: PageChrome.error(error.message), keep: form, status: APIError(error).status)
            }
        }
        let api = AssetLookupController(database: database, runner: runner, now: now)
        routes.on(.get, SiteURL.lookup(id: "").pattern, .roles(AssetLookupController.readers)) { _, context in
            try lookupPage(try await api.visibleLookup(context), context: context)
        }
        routes.on(.post, SiteURL.lookupRetry(id: "", code: "").pattern, .roles(AssetLookupController.starters)) { _, context in
            let lookup = try await api.visibleLookup(context)
            guard let code = context.parameters.get("code"),
                  try await repository.reopen(lookupID: lookup.id, category: code, audit: api.audit(context, "lookup.retry", lookup.id, code)) else {
                throw APIError.notFound
            }
            runner.start(lookupID: lookup.id, only: code)
            return Response(status: .seeOther, headers: [.location: SiteURL.lookup(id: lookup.id).path])
        }
    }

    private func caseLookupsPage(_ detail: CaseDetail, context: AppRequestContext, flash: PageChrome.Flash?, keep form: [String: String] = [:],
                                 status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.requireSession().user
        let catalogue = try await repository.catalogue().filter(\.isEnabled)
        let lookups = try await repository.lookups(caseID: detail.summary.id)
        return pages.render("lookups", model: CaseLookupsModel(
            page: PageChrome(title: "\(detail.summary.caseNumber) 财产查询", context: context, current: .cases, flash: flash),
            caseNumber: detail.summary.caseNumber, caseURL: SiteURL.caseDetail(id: detail.summary.id).path,
            formURL: AssetLookupController.starters.contains(user.role) ? SiteURL.caseLookups(id: detail.summary.id).path : nil,
            debtors: detail.summary.debtors.map { .init(value: $0.id, label: $0.name, checked: $0.id == form["debtorId"]) },
            categories: catalogue.map { .init(value: $0.code, label: "\($0.name)（\($0.channel.chinese)）", checked: form.isEmpty || form["category.\($0.code)"] == "on") },
            legalBasis: form["legalBasis"] ?? Self.defaultBasis,
            lookups: lookups.map { item in
                let state = AssetLookup.Status(rawValue: item.status)
                return Row(url: SiteURL.lookup(id: item.id).path, debtor: item.debtorName, status: state?.chinese ?? item.status, statusClass: item.status,
                           when: Display.time(item.requestedAt), by: item.requestedBy ?? (item.purpose == "periodic" ? "定期查询" : "系统"),
                           progress: "\(item.answered)/\(item.categories) 类已答复，发现 \(item.findings) 项")
            }), status: status)
    }

    private func lookupPage(_ lookup: StoredLookup, context: AppRequestContext) throws -> Response {
        let user = try context.requireSession().user
        let state = AssetLookup.Status(rawValue: lookup.status)
        var page = PageChrome(title: "财产查询 · \(lookup.debtorName)", context: context, current: .cases, flash: nil)
        if state == .running { page.refreshSeconds = 2 }
        let canRetry = AssetLookupController.starters.contains(user.role)
        let findings = lookup.categories.reduce(0) { $0 + $1.findings.count }
        let ended = lookup.categories.filter { AssetLookup.CategoryStatus(rawValue: $0.status)?.isFinal ?? false }.count
        return pages.render("lookup", model: LookupModel(
            page: page, caseNumber: lookup.caseNumber, caseURL: SiteURL.caseDetail(id: lookup.caseId).path, debtor: lookup.debtorName,
            legalBasis: lookup.legalBasis, status: state?.chinese ?? lookup.status, statusClass: lookup.status,
            requested: "\(Display.time(lookup.requestedAt)) \(lookup.requestedBy ?? (lookup.purpose == "periodic" ? "定期查询" : "系统"))",
            finished: lookup.finishedAt.map(Display.time),
            categories: lookup.categories.map { category in
                let status = AssetLookup.CategoryStatus(rawValue: category.status)
                return CategoryRow(
                    name: category.name, status: status?.chinese ?? category.status, statusClass: category.status, attempts: category.attempts,
                    reason: category.reason, digest: category.digest.map { String($0.prefix(12)) },
                    findings: category.findings.map {
                        FindingRow(kind: AssetFinding.Kind(rawValue: $0.kind)?.chinese ?? $0.kind, description: $0.description, identifier: $0.identifier,
                                   value: $0.valueFen.map { Money(fen: $0).formatted }, holder: $0.holder)
                    },
                    nothing: status == .answered && category.findings.isEmpty,
                    retryURL: canRetry && (status == .failed || status == .timedOut) ? SiteURL.lookupRetry(id: lookup.id, code: category.code).path : nil)
            },
            summary: "\(ended)/\(lookup.categories.count) 类已结束，发现财产线索 \(findings) 项"))
    }
}

import ChuqingDomain
import ChuqingPersistence
import Foundation
import Hummingbird

/// The dishonest-debtor list page: every entry, and first the deletions that are due — overdue
/// ones flagged — because art. 10 gives the court 3 working days.
struct BlacklistPages {
    let database: Database
    let pages: PageRenderer
    let now: @Sendable () -> Date

    struct Model: PageModel {
        struct Row {
            let caseURL: String; let caseNumber: String; let debtor: String; let circumstances: String; let decidedOn: String
            let term: String; let state: String; let overdue: Bool
        }
        let page: PageChrome
        let due: [Row]
        let entries: [Row]
    }

    func register(on routes: RouteTable) {
        routes.on(.get, SiteURL.blacklist.pattern, .roles([.admin, .director, .judge, .clerk, .auditor])) { _, context in
            let repository = BlacklistRepository(database: database)
            let user = try context.requireSession().user
            let judge = user.role == .judge ? user.id : nil
            let today = ShanghaiClock.today(now())
            func row(_ entry: BlacklistEntry) -> Model.Row {
                let state: String
                if let deleted = entry.deletedOn {
                    state = "已于 \(deleted) 删除"
                } else if let due = entry.deletionDueOn {
                    let trigger = entry.deletionTrigger.flatMap(DeletionTrigger.init(rawValue:))?.chinese ?? ""
                    state = "\(trigger)，应于 \(due) 前删除"
                } else {
                    state = entry.publishableFrom > today.description ? "宽限期至 \(entry.publishableFrom)" : "在列"
                }
                return Model.Row(
                    caseURL: SiteURL.caseDetail(id: entry.caseId).path, caseNumber: entry.caseNumber, debtor: entry.debtorName,
                    circumstances: entry.circumstances.compactMap { DishonestyCircumstance(rawValue: $0)?.text }.joined(separator: "；"),
                    decidedOn: entry.decidedOn, term: entry.expiresOn.map { "至 \($0)" } ?? "无固定期限", state: state,
                    overdue: entry.deletedOn == nil && (entry.deletionDueOn.map { $0 < today.description } ?? false))
            }
            return pages.render("blacklist", model: Model(
                page: PageChrome(title: "失信名单", context: context, current: .blacklist, flash: nil),
                due: try await repository.dueDeletions(visibleToJudge: judge).map(row),
                entries: try await repository.all(visibleToJudge: judge).map(row)))
        }
    }
}

import ChuqingDomain
import Foundation

/// Every page address of the site, so links and routes come from one list and cannot drift.
public enum SiteURL: Sendable, Equatable {
    case home
    case login
    case logout
    case accountPassword
    case adminUsers
    case adminUserDisable(id: String)
    case adminUserEnable(id: String)
    case auditLog
    case cases
    case caseDetail(id: String)
    case casePayments(id: String)
    case casePaymentReversal(id: String, payment: String)
    case caseTransitions(id: String)
    case caseResume(id: String)
    case debtorDetail(id: String)
    case debtorPhoto(id: String)
    case debtorStanding(id: String)
    case caseImport
    case batches
    case batchDetail(id: String)
    case batchCases(id: String)
    case batchClose(id: String)
    case batchBulletin(id: String)
    case batchBulletinText(id: String)
    case batchExport(id: String, format: String)
    case batchOpenCases(id: String)
    case caseMeasures(id: String)
    case blacklist
    case tips
    case liaison
    case liaisonDebtor(id: String)
    case liaisonDebtorPhoto(id: String)
    case liaisonDebtorLeads(id: String)
    case liaisonDebtorVisits(id: String)
    case liaisonLeads
    case triage
    case triageStatus(source: String, id: String)
    case leadPhoto(id: String, position: Int)
    case network
    case networkTownship(code: String)
    case debtorAssignments(id: String)
    case debtorAssignmentEnd(id: String, township: String)
    case debtorVisits(id: String)
    case caseLookups(id: String)
    case lookup(id: String)
    case lookupRetry(id: String, code: String)
    case lookupLog
    case lookupsDue
    case adminCategories
    case adminCategory(code: String)
    case adminCategorySnapshot(code: String)
    case lookupApprove(id: String)
    case lookupRefuse(id: String)
    case lookupTold(id: String)
    case lookupNotice(id: String)
    case findingMeasures(lookup: String, finding: String)
    case deadlines
    case inbox
    case inboxRead(id: String)
    case adminJobs
    case adminJobRetry(id: String)
    case officials
    case officialPushes
    case officialPush(id: String)
    case officialPushReplies(id: String)
    case officialPushEscalation(id: String)
    case officialPushLetter(id: String)
    case officialEscalationLetter(id: String, escalation: String)
    case settlements
    case settlement(id: String)
    case caseSettlements(id: String)
    case caseSettlementResume(id: String)
    case stylesheet
    case liaisonScript

    /// The path to link to.
    public var path: String {
        switch self {
        case .home: "/"
        case .login: "/login"
        case .logout: "/logout"
        case .accountPassword: "/account/password"
        case .adminUsers: "/admin/users"
        case .adminUserDisable(let id): "/admin/users/\(id)/disable"
        case .adminUserEnable(let id): "/admin/users/\(id)/enable"
        case .auditLog: "/audit"
        case .cases: "/cases"
        case .caseDetail(let id): "/cases/\(id)"
        case .casePayments(let id): "/cases/\(id)/payments"
        case .casePaymentReversal(let id, let payment): "/cases/\(id)/payments/\(payment)/reversal"
        case .caseTransitions(let id): "/cases/\(id)/transitions"
        case .caseResume(let id): "/cases/\(id)/resume"
        case .debtorDetail(let id): "/debtors/\(id)"
        case .debtorPhoto(let id): "/debtors/\(id)/photo"
        case .debtorStanding(let id): "/debtors/\(id)/standing"
        case .caseImport: "/imports/cases"
        case .batches: "/batches"
        case .batchDetail(let id): "/batches/\(id)"
        case .batchCases(let id): "/batches/\(id)/cases"
        case .batchClose(let id): "/batches/\(id)/close"
        case .batchBulletin(let id): "/batches/\(id)/bulletin"
        case .batchBulletinText(let id): "/batches/\(id)/bulletin.txt"
        case .batchExport(let id, let format): "/batches/\(id)/export.\(format)"
        case .batchOpenCases(let id): "/batches/\(id)/open-cases"
        case .caseMeasures(let id): "/cases/\(id)/measures"
        case .blacklist: "/blacklist"
        case .tips: "/tips"
        case .liaison: "/liaison"
        case .liaisonDebtor(let id): "/liaison/debtors/\(id)"
        case .liaisonDebtorPhoto(let id): "/liaison/debtors/\(id)/photo"
        case .liaisonDebtorLeads(let id): "/liaison/debtors/\(id)/leads"
        case .liaisonDebtorVisits(let id): "/liaison/debtors/\(id)/visits"
        case .liaisonLeads: "/liaison/leads"
        case .triage: "/leads"
        case .triageStatus(let source, let id): "/leads/\(source)/\(id)/status"
        case .leadPhoto(let id, let position): "/leads/lead/\(id)/photos/\(position)"
        case .network: "/network"
        case .networkTownship(let code): "/network/\(code)"
        case .debtorAssignments(let id): "/debtors/\(id)/assignments"
        case .debtorAssignmentEnd(let id, let township): "/debtors/\(id)/assignments/\(township)/end"
        case .debtorVisits(let id): "/debtors/\(id)/visits"
        case .caseLookups(let id): "/cases/\(id)/lookups"
        case .lookup(let id): "/lookups/\(id)"
        case .lookupRetry(let id, let code): "/lookups/\(id)/categories/\(code)/retry"
        case .lookupLog: "/lookups"
        case .lookupsDue: "/lookups/due"
        case .adminCategories: "/admin/data-categories"
        case .adminCategory(let code): "/admin/data-categories/\(code)"
        case .adminCategorySnapshot(let code): "/admin/data-categories/\(code)/snapshot"
        case .lookupApprove(let id): "/lookups/\(id)/approve"
        case .lookupRefuse(let id): "/lookups/\(id)/refuse"
        case .lookupTold(let id): "/lookups/\(id)/applicant-told"
        case .lookupNotice(let id): "/lookups/\(id)/notice"
        case .findingMeasures(let lookup, let finding): "/lookups/\(lookup)/findings/\(finding)/measures"
        case .deadlines: "/deadlines"
        case .inbox: "/inbox"
        case .inboxRead(let id): "/inbox/\(id)/read"
        case .adminJobs: "/admin/jobs"
        case .adminJobRetry(let id): "/admin/jobs/\(id)/retry"
        case .officials: "/officials"
        case .officialPushes: "/officials/pushes"
        case .officialPush(let id): "/officials/pushes/\(id)"
        case .officialPushReplies(let id): "/officials/pushes/\(id)/replies"
        case .officialPushEscalation(let id): "/officials/pushes/\(id)/escalation"
        case .officialPushLetter(let id): "/officials/pushes/\(id)/letter"
        case .officialEscalationLetter(let id, let escalation): "/officials/pushes/\(id)/escalations/\(escalation)/letter"
        case .settlements: "/settlements"
        case .settlement(let id): "/settlements/\(id)"
        case .caseSettlements(let id): "/cases/\(id)/settlements"
        case .caseSettlementResume(let id): "/cases/\(id)/settlement-resumption"
        case .stylesheet: "/static/chuqing.css"
        case .liaisonScript: "/static/liaison.js"
        }
    }

    /// The router pattern for this page.
    public var pattern: String {
        switch self {
        case .adminUserDisable: "/admin/users/:id/disable"
        case .adminUserEnable: "/admin/users/:id/enable"
        case .caseDetail: "/cases/:id"
        case .casePayments: "/cases/:id/payments"
        case .casePaymentReversal: "/cases/:id/payments/:payment/reversal"
        case .caseTransitions: "/cases/:id/transitions"
        case .caseResume: "/cases/:id/resume"
        case .debtorDetail: "/debtors/:id"
        case .debtorPhoto: "/debtors/:id/photo"
        case .debtorStanding: "/debtors/:id/standing"
        case .batchDetail: "/batches/:id"
        case .batchCases: "/batches/:id/cases"
        case .batchClose: "/batches/:id/close"
        case .batchBulletin: "/batches/:id/bulletin"
        case .batchBulletinText: "/batches/:id/bulletin.txt"
        case .batchExport(_, let format): "/batches/:id/export.\(format)"
        case .batchOpenCases: "/batches/:id/open-cases"
        case .caseMeasures: "/cases/:id/measures"
        case .liaisonDebtor: "/liaison/debtors/:id"
        case .liaisonDebtorPhoto: "/liaison/debtors/:id/photo"
        case .liaisonDebtorLeads: "/liaison/debtors/:id/leads"
        case .liaisonDebtorVisits: "/liaison/debtors/:id/visits"
        case .triageStatus: "/leads/:source/:id/status"
        case .leadPhoto: "/leads/lead/:id/photos/:n"
        case .networkTownship: "/network/:code"
        case .debtorAssignments: "/debtors/:id/assignments"
        case .debtorAssignmentEnd: "/debtors/:id/assignments/:township/end"
        case .debtorVisits: "/debtors/:id/visits"
        case .caseLookups: "/cases/:id/lookups"
        case .lookup: "/lookups/:id"
        case .lookupRetry: "/lookups/:id/categories/:code/retry"
        case .lookupApprove: "/lookups/:id/approve"
        case .adminCategory: "/admin/data-categories/:code"
        case .adminCategorySnapshot: "/admin/data-categories/:code/snapshot"
        case .lookupRefuse: "/lookups/:id/refuse"
        case .lookupTold: "/lookups/:id/applicant-told"
        case .lookupNotice: "/lookups/:id/notice"
        case .findingMeasures: "/lookups/:id/findings/:finding/measures"
        case .inboxRead: "/inbox/:id/read"
        case .adminJobRetry: "/admin/jobs/:id/retry"
        case .officialPush: "/officials/pushes/:id"
        case .officialPushReplies: "/officials/pushes/:id/replies"
        case .officialPushEscalation: "/officials/pushes/:id/escalation"
        case .officialPushLetter: "/officials/pushes/:id/letter"
        case .officialEscalationLetter: "/officials/pushes/:id/escalations/:escalation/letter"
        case .settlement: "/settlements/:id"
        case .caseSettlements: "/cases/:id/settlements"
        case .caseSettlementResume: "/cases/:id/settlement-resumption"
        default: path
        }
    }
}

extension SiteURL {
    /// The page a deadline or its reminder opens (issue 17).
    static func link(_ target: Deadline.Target) -> String {
        switch target {
        case .lead(let id): SiteURL.triage.path + "#lead-\(id.databaseText)"
        case .blacklistEntry: SiteURL.blacklist.path + "#due"
        case .procedure: SiteURL.blacklist.path + "#procedures"
        case .caseFile(let id): SiteURL.caseLookups(id: id.databaseText).path
        case .calendar: SiteURL.adminJobs.path + "#calendar"
        case .lookupApprovals: SiteURL.lookupLog.path + "?status=awaitingApproval"
        case .officialPush(let id): SiteURL.officialPush(id: id.databaseText).path
        case .caseMeasures(let id): SiteURL.caseDetail(id: id.databaseText).path + "#measures"
        case .settlement(let id): SiteURL.settlement(id: id.databaseText).path
        }
    }
}

import Foundation

/// What a person may do in Chuqing, and which roles may do it: the one permission table.
///
/// The route table declares each route's access from this table, the services check it again
/// before they change anything (so the command line and a page cannot do what the API refuses),
/// and the pages offer a form only to the roles that may submit it. Scope within a permission —
/// a judge acts only on the cases assigned to them, a liaison only in their township — is the
/// services' rule, not this table's.
public enum Permission: String, CaseIterable, Sendable {
    /// Search and read cases, debtors, batches, the list and its notifications.
    case readCases
    /// Register and change cases: payments, transitions, resumption, measures, debtor details and
    /// photos, township assignments, listing decisions and their deletion and procedures.
    case changeCases
    /// Import the court's case export.
    case importCases
    /// Create, fill and close final-clearance batches (the director runs the campaign).
    case manageBatches
    /// Compose, publish and withdraw notice issues.
    case composeNotices
    /// Approve a notice issue before it is published (院领导审批).
    case approveNotices
    /// Read notice issues and the list's candidates.
    case readNotices
    /// Start asset look-ups, retry a category, record what the applicant was told.
    case startLookups
    /// Read a case's asset look-ups and their findings.
    case readLookups
    /// Search the look-up log (查询日志): who looked up whom, and why.
    case auditLookups
    /// Approve or refuse a look-up where the court requires the director's approval.
    case approveLookups
    /// Read the data categories other departments share.
    case readCategories
    /// Add and re-time data categories; upload extracts.
    case manageCategories
    /// Read the list of uploaded extracts.
    case readSnapshots
    /// Manage users, townships and villages.
    case manageUsers
    /// Read the audit log.
    case readAuditLog
    /// Read the township network: townships, liaisons, what they cover.
    case readNetwork
    /// Read a debtor's portrait built from household visits.
    case readPortraits
    /// Record a household visit (court staff on the debtor's page, liaisons on theirs).
    case recordVisits
    /// Record a household visit from the debtor's page (court staff only).
    case recordVisitsAsStaff
    /// Read visits (those who record them, and auditors).
    case readVisits
    /// Read a debtor (court staff, and liaisons for their township's debtors).
    case readDebtors
    /// The liaison's own work: the debtors to find, submitting leads.
    case submitLeads
    /// Read leads.
    case readLeads
    /// Accept or dismiss a lead.
    case decideLeads
    /// Read the triage queue of leads and tips.
    case readTriage
    /// Move a lead or tip through triage.
    case triage
    /// Enter a tip received by phone or at the counter.
    case enterTips
    /// Read tips.
    case readTips
    /// See who gave a tip (a tipster's name is protected: 悬赏 rules).
    case readTipsters
    /// Read the scheduler's jobs and retry a failed one (issue 17).
    case manageJobs

    /// The roles that hold this permission.
    public var roles: Set<Role> {
        switch self {
        case .readCases, .readNotices, .readNetwork: [.admin, .director, .judge, .clerk, .auditor]
        case .changeCases, .startLookups, .decideLeads, .triage, .readTipsters: [.director, .judge]
        case .importCases: [.director, .judge, .clerk]
        case .manageBatches, .approveNotices, .approveLookups: [.director]
        case .composeNotices: [.clerk, .director]
        case .readLookups: [.director, .judge, .auditor]
        case .auditLookups: [.director, .auditor]
        case .readCategories: [.admin, .director, .judge, .auditor]
        case .manageCategories, .manageUsers, .manageJobs: [.admin]
        case .readSnapshots, .readAuditLog: [.admin, .director, .auditor]
        case .readPortraits: [.director, .judge, .clerk, .auditor]
        case .recordVisits: [.director, .judge, .clerk, .liaison]
        case .recordVisitsAsStaff, .readTriage, .enterTips, .readTips: [.director, .judge, .clerk]
        case .readVisits: [.director, .judge, .clerk, .liaison, .auditor]
        case .readDebtors: [.admin, .director, .judge, .clerk, .auditor, .liaison]
        case .submitLeads: [.liaison]
        case .readLeads: [.director, .judge, .clerk, .liaison]
        }
    }
}

extension Role {
    /// Whether this role holds `permission`.
    public func may(_ permission: Permission) -> Bool {
        permission.roles.contains(self)
    }
}

extension User {
    /// Whether this user's role holds `permission`.
    public func may(_ permission: Permission) -> Bool {
        role.may(permission)
    }

    /// The judge whose cases this user sees: a judge sees the cases assigned to them; everyone
    /// else who reads cases sees all of them (nil).
    public var judgeScope: UUID? {
        role == .judge ? id : nil
    }
}

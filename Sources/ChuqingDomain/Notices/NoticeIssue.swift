/// The two kinds of notice a court publishes from the list (rules.md §1 and §7.13).
public enum NoticeKind: String, CaseIterable, Codable, Sendable {
    /// 失信被执行人曝光公告: debtors on the list, past any grace period.
    case blacklist
    /// 信用修复公告: debtors whose entries were deleted since the last such issue.
    case creditRepair

    public var chinese: String {
        switch self {
        case .blacklist: "失信被执行人曝光公告"
        case .creditRepair: "信用修复公告"
        }
    }

    public static func parse(_ text: String) throws(DomainError) -> NoticeKind {
        guard let kind = NoticeKind(rawValue: text) else {
            throw DomainError(
                code: "unknown_notice_kind",
                message: "kind「\(text)」无法识别；可用：blacklist（失信被执行人曝光公告）、creditRepair（信用修复公告）", field: "kind")
        }
        return kind
    }
}

/// Where an issue is in compose → approve → publish. A published issue never changes
/// (rules.md §7.13: corrections go out in a new issue).
public enum NoticeIssueState: String, Codable, Sendable {
    case composed, approved, published

    public var chinese: String {
        switch self {
        case .composed: "待审批"
        case .approved: "已审批，待发布"
        case .published: "已发布"
        }
    }

    /// Entries may be changed only before approval; approval is of a definite list.
    public func checkEditable() throws(DomainError) {
        switch self {
        case .composed: return
        case .approved:
            throw DomainError(code: "issue_approved", message: "该期已审批，不能再修改；如需修改，请先新建一期", kind: .conflict)
        case .published:
            throw DomainError(
                code: "issue_published", message: "该期已发布，已发布的公告不能修改；更正须另发一期并注明所更正的期号",
                kind: .conflict)
        }
    }

    public func checkApprovable() throws(DomainError) {
        switch self {
        case .composed: return
        case .approved: throw DomainError(code: "already_approved", message: "该期已审批", kind: .conflict)
        case .published: throw DomainError(code: "issue_published", message: "该期已发布", kind: .conflict)
        }
    }

    public func checkPublishable() throws(DomainError) {
        switch self {
        case .approved: return
        case .composed: throw DomainError(code: "not_approved", message: "该期尚未经院领导审批，不能发布", kind: .conflict)
        case .published: throw DomainError(code: "already_published", message: "该期已发布，不能重复发布", kind: .conflict)
        }
    }
}

/// What decides whether an entry may go into an issue.
public struct NoticeEligibility: Sendable {
    /// The facts of one entry that the rule needs.
    public struct Entry: Sendable {
        public let courtCode: String
        public let publishableFrom: CalendarDate
        public let expiresOn: CalendarDate?
        public let deletionDueOn: CalendarDate?
        public let removal: String?
        public let removedOn: CalendarDate?
        /// Already in an issue of the kind being composed (not counting a correction issue).
        public let inIssueOfKind: Bool

        public init(
            courtCode: String, publishableFrom: CalendarDate, expiresOn: CalendarDate?, deletionDueOn: CalendarDate?,
            removal: String?, removedOn: CalendarDate?, inIssueOfKind: Bool
        ) {
            self.courtCode = courtCode
            self.publishableFrom = publishableFrom
            self.expiresOn = expiresOn
            self.deletionDueOn = deletionDueOn
            self.removal = removal
            self.removedOn = removedOn
            self.inIssueOfKind = inIssueOfKind
        }
    }

    /// Why `entry` may not go into an issue of `kind` composed `today`, or nil when it may.
    ///
    /// Exposure: the entry is on the list (not deleted or revoked, no deletion due, term not
    /// ended) and past its grace period (法发〔2019〕35号). Credit repair: the entry was deleted
    /// (not revoked: a wrongly made entry is not "repaired") on or after the last credit-repair
    /// issue's publication (`lastCreditRepairOn`). An entry appears in one issue of each kind,
    /// except in a correction issue.
    public static func refusal(
        _ entry: Entry, kind: NoticeKind, today: CalendarDate, lastCreditRepairOn: CalendarDate?,
        isCorrection: Bool
    ) -> String? {
        switch kind {
        case .blacklist:
            if entry.removal != nil { return "已删除或撤销，不得再曝光" }
            if let due = entry.deletionDueOn { return "已发生删除事由，应于 \(due) 前删除，不得再曝光" }
            if let expires = entry.expiresOn, expires <= today { return "失信期限已于 \(expires) 届满" }
            if entry.publishableFrom > today { return "宽限期至 \(entry.publishableFrom)，期满前不得公布（法发〔2019〕35号）" }
        case .creditRepair:
            guard entry.removal == "deleted", let removedOn = entry.removedOn else { return "尚未删除，不能列入信用修复公告" }
            if !isCorrection, let last = lastCreditRepairOn, removedOn < last {
                return "于 \(removedOn) 删除，早于上一期信用修复公告（\(last)）"
            }
        }
        if entry.inIssueOfKind && !isCorrection { return "已列入一期\(kind.chinese)" }
        return nil
    }
}

/// One person or organisation as a notice shows them (法释〔2017〕7号 art. 6; rules.md §5 and
/// §7.14): the ID number masked, age on the issue's date, the address only to village level.
public struct NoticeSubject: Sendable, Equatable {
    public let name: String
    public let isOrganization: Bool
    /// `3607321980****1236` for a person; the credit code in full for an organisation.
    public let publishedID: String
    public let sex: String?
    public let age: Int?
    public let legalRepresentative: String?
    public let address: String?

    public init(
        kind: DebtorKind, name: String, identifier: DebtorIdentifier, legalRepresentative: String?,
        township: String?, village: String?, on date: CalendarDate
    ) {
        self.name = name
        self.isOrganization = kind.isOrganization
        self.publishedID = identifier.published
        if case .citizen(let id) = identifier, !kind.isOrganization {
            sex = id.sex == .male ? "男" : "女"
            age = id.age(on: date)
            self.legalRepresentative = nil
        } else {
            sex = nil
            age = nil
            self.legalRepresentative = legalRepresentative
        }
        // Village level and no finer (rules.md §7.14, PIPL minimisation): never the street address.
        let place = [township, village].compactMap { $0?.trimmed }.filter { !$0.isEmpty }.joined()
        address = place.isEmpty ? nil : place
    }
}

/// A notification of a listing, deletion or revocation (法释〔2017〕7号 art. 8): to the credit
/// platforms always, and for a debtor who is a 国家工作人员, 人大代表 or 政协委员 to the employer
/// (art. 8 ¶3). Chuqing produces and keeps the document; sending it is outside Chuqing.
public enum ListNotificationEvent: String, Sendable, CaseIterable {
    case listed, deleted, revoked

    public var chinese: String {
        switch self {
        case .listed: "纳入失信被执行人名单"
        case .deleted: "删除失信信息"
        case .revoked: "撤销失信信息"
        }
    }
}

public struct ListNotification: Sendable {
    public typealias Event = ListNotificationEvent

    /// The credit platforms every listing and deletion is reported to (art. 8: the SPC list
    /// feeds 信用中国; 征信机构 are notified). Local practice may add more.
    public static let creditPlatforms = ["国家公共信用信息中心（信用中国）", "中国人民银行征信中心"]

    /// Who gets a notification: each credit platform, and the employer of a public official
    /// (named as 所在单位 when the employer is not on record).
    public static func recipients(isPublicOfficial: Bool, employer: String?) -> [(kind: String, name: String)] {
        var result = creditPlatforms.map { (kind: "creditPlatform", name: $0) }
        if isPublicOfficial {
            let name = employer?.trimmed ?? ""
            result.append((kind: "employer", name: name.isEmpty ? "被执行人所在单位（单位名称未登记）" : name))
        }
        return result
    }

    public let id: String
    public let event: Event
    public let recipientKind: String
    public let recipient: String
    public let courtName: String
    public let courtCode: String
    public let date: CalendarDate
    public let debtorName: String
    public let debtorKind: DebtorKind
    public let idNumber: String
    public let caseNumber: String
    public let decisionNumber: String
    public let decidedOn: CalendarDate
    public let circumstances: [DishonestyCircumstance]
    public let expiresOn: CalendarDate?
    public let isPublicOfficial: Bool
    /// For a deletion or revocation: the day and the reason.
    public let removedOn: CalendarDate?
    public let removalReason: String?

    public init(
        id: String, event: Event, recipientKind: String, recipient: String, courtName: String, courtCode: String,
        date: CalendarDate, debtorName: String, debtorKind: DebtorKind, idNumber: String, caseNumber: String,
        decisionNumber: String, decidedOn: CalendarDate, circumstances: [DishonestyCircumstance], expiresOn: CalendarDate?,
        isPublicOfficial: Bool, removedOn: CalendarDate?, removalReason: String?
    ) {
        self.id = id
        self.event = event
        self.recipientKind = recipientKind
        self.recipient = recipient
        self.courtName = courtName
        self.courtCode = courtCode
        self.date = date
        self.debtorName = debtorName
        self.debtorKind = debtorKind
        self.idNumber = idNumber
        self.caseNumber = caseNumber
        self.decisionNumber = decisionNumber
        self.decidedOn = decidedOn
        self.circumstances = circumstances
        self.expiresOn = expiresOn
        self.isPublicOfficial = isPublicOfficial
        self.removedOn = removedOn
        self.removalReason = removalReason
    }
}

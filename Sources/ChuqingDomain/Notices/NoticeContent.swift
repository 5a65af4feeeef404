/// What a notice issue shows, gathered from the database and turned into the canonical XML by
/// `NoticeDocument` (ChuqingDocuments). Pure values.

/// A notice issue as a whole.
public struct NoticeHeader: Sendable {
    public let id: String
    public let kind: NoticeKind
    public let courtName: String
    public let courtCode: String
    /// The court's tip-off phone (限制消费规定 art. 10).
    public let hotline: String
    public let year: Int
    public let number: Int
    /// The date: publication, or for a draft the day it was built.
    public let date: CalendarDate
    public let isDraft: Bool
    /// The issue this one corrects: its id and title.
    public let corrects: (id: String, title: String)?

    public init(
        id: String, kind: NoticeKind, courtName: String, courtCode: String, hotline: String, year: Int, number: Int,
        date: CalendarDate, isDraft: Bool, corrects: (id: String, title: String)?
    ) {
        self.id = id
        self.kind = kind
        self.courtName = courtName
        self.courtCode = courtCode
        self.hotline = hotline
        self.year = year
        self.number = number
        self.date = date
        self.isDraft = isDraft
        self.corrects = corrects
    }

    /// 兴国县人民法院失信被执行人曝光公告（2026年第3期）.
    public static func title(courtName: String, kind: NoticeKind, year: Int, number: Int) -> String {
        "\(courtName)\(kind.chinese)（\(year)年第\(number)期）"
    }

    /// 兴国县人民法院失信被执行人曝光公告（2026年第3期）.
    public var title: String { NoticeHeader.title(courtName: courtName, kind: kind, year: year, number: number) }
}

/// One entry of the list as a notice issue shows it.
public struct NoticeItem: Sendable {
    public let entryID: String
    public let subject: NoticeSubject
    public let caseNumber: String
    public let filedOn: CalendarDate
    /// The 执行依据: who issued it and its number.
    public let basisIssuedBy: String
    public let basisNumber: String
    public let duty: String?
    public let unexecutedFen: Int64
    public let asOf: CalendarDate
    public let circumstances: [DishonestyCircumstance]
    public let decisionNumber: String
    public let decidedOn: CalendarDate
    public let deletedOn: CalendarDate?
    public let deletionReason: String?
    /// The SHA-256 of the photo shown, when there is one.
    public let photoSHA256: String?

    public init(
        entryID: String, subject: NoticeSubject, caseNumber: String, filedOn: CalendarDate, basisIssuedBy: String,
        basisNumber: String, duty: String?, unexecutedFen: Int64, asOf: CalendarDate, circumstances: [DishonestyCircumstance],
        decisionNumber: String, decidedOn: CalendarDate, deletedOn: CalendarDate?, deletionReason: String?, photoSHA256: String?
    ) {
        self.entryID = entryID
        self.subject = subject
        self.caseNumber = caseNumber
        self.filedOn = filedOn
        self.basisIssuedBy = basisIssuedBy
        self.basisNumber = basisNumber
        self.duty = duty
        self.unexecutedFen = unexecutedFen
        self.asOf = asOf
        self.circumstances = circumstances
        self.decisionNumber = decisionNumber
        self.decidedOn = decidedOn
        self.deletedOn = deletedOn
        self.deletionReason = deletionReason
        self.photoSHA256 = photoSHA256
    }
}

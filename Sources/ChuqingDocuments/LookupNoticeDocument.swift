import ChuqingDomain

/// The notice telling the applicant the result of an asset look-up (财产查询结果告知书), as
/// canonical XML (`Templates/documents/lookup-notice.xsd`). 法〔2016〕373号 art. 9: for five years
/// after 终本 the court queries every six months "and tells the applicant the result". The notice
/// says per category whether property was found and of what kind, never identifiers, account
/// numbers, values, or information that is not property (a marriage, a residence): the applicant
/// learns that there is something to enforce, and the results themselves stay with the court
/// (法释〔2013〕20号: no leaking results).
public enum LookupNoticeDocument {
    public static let namespace = "urn:chuqing:lookup-notice:1"

    public struct Content: Sendable, Equatable {
        public struct Category: Sendable, Equatable {
            public let name: String
            public let department: String
            /// answered, failed or timedOut.
            public let status: AssetLookup.CategoryStatus
            /// Kinds of property found and how many of each, in the order first found.
            public let found: [(kind: AssetFinding.Kind, count: Int)]

            public init(
                name: String, department: String, status: AssetLookup.CategoryStatus, found: [(kind: AssetFinding.Kind, count: Int)]
            ) {
                self.name = name
                self.department = department
                self.status = status
                self.found = found
            }

            public static func == (lhs: Category, rhs: Category) -> Bool {
                lhs.name == rhs.name && lhs.department == rhs.department && lhs.status == rhs.status
                    && lhs.found.map(\.kind) == rhs.found.map(\.kind) && lhs.found.map(\.count) == rhs.found.map(\.count)
            }
        }

        public let id: String
        public let courtName: String
        public let courtCode: String
        public let date: CalendarDate
        public let caseNumber: String
        public let applicants: [String]
        public let debtorName: String
        public let lookedUpOn: CalendarDate
        public let purpose: AssetLookup.Purpose
        public let categories: [Category]

        public init(
            id: String, courtName: String, courtCode: String, date: CalendarDate, caseNumber: String, applicants: [String],
            debtorName: String,
            lookedUpOn: CalendarDate, purpose: AssetLookup.Purpose, categories: [Category]
        ) {
            self.id = id
            self.courtName = courtName
            self.courtCode = courtCode
            self.date = date
            self.caseNumber = caseNumber
            self.applicants = applicants
            self.debtorName = debtorName
            self.lookedUpOn = lookedUpOn
            self.purpose = purpose
            self.categories = categories
        }
    }

    public static func xml(_ content: Content) -> String {
        let e = XMLText.escape
        let foundTotal = content.categories.reduce(0) { $0 + $1.found.reduce(0) { $0 + $1.count } }
        let unanswered = content.categories.filter { $0.status != .answered }.count
        var lines = [#"<?xml version="1.0" encoding="UTF-8"?>"#]
        lines.append(
            #"<lookupNotice xmlns="\#(namespace)" id="\#(e(content.id))" court="\#(e(content.courtName))" courtCode="\#(e(content.courtCode))" date="\#(content.date)" dateText="\#(content.date.chinese)" purpose="\#(content.purpose.rawValue)" found="\#(foundTotal)" unanswered="\#(unanswered)">"#
        )
        lines.append("  <caseNumber>\(e(content.caseNumber))</caseNumber>")
        for applicant in content.applicants {
            lines.append("  <applicant>\(e(applicant))</applicant>")
        }
        lines.append("  <debtor>\(e(content.debtorName))</debtor>")
        lines.append(#"  <lookup date="\#(content.lookedUpOn)" dateText="\#(content.lookedUpOn.chinese)"/>"#)
        for category in content.categories {
            let count = category.found.reduce(0) { $0 + $1.count }
            let open =
                #"  <category name="\#(e(category.name))" department="\#(e(category.department))" status="\#(category.status.rawValue)" findings="\#(count)""#
            guard !category.found.isEmpty else {
                lines.append(open + "/>")
                continue
            }
            lines.append(open + ">")
            for item in category.found {
                lines.append(#"    <found kind="\#(item.kind.rawValue)" name="\#(e(item.kind.chinese))" count="\#(item.count)"/>"#)
            }
            lines.append("  </category>")
        }
        lines.append("</lookupNotice>")
        return lines.joined(separator: "\n") + "\n"
    }
}

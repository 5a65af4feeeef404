import ChuqingDomain

/// A notice issue (期) as its canonical XML document (`Templates/documents/notice.xsd`): what the
/// court publishes, rendered by the XSLT stylesheets beside the schema to the web page, the
/// radio script and the notice-board print. Once published, this text and its SHA-256 are the
/// record and never change.
public enum NoticeDocument {
    public static let namespace = "urn:chuqing:notice:1"

    public typealias Header = NoticeHeader
    public typealias Item = NoticeItem

    /// The canonical XML of an issue: UTF-8, two-space indentation, attributes in a fixed order,
    /// every database text escaped.
    public static func xml(_ header: Header, items: [Item]) -> String {
        let e = XMLText.escape
        var lines = [#"<?xml version="1.0" encoding="UTF-8"?>"#]
        var root =
            #"<notice xmlns="\#(namespace)" id="\#(e(header.id))" kind="\#(header.kind.rawValue)" kindName="\#(header.kind.chinese)""#
        root += #" court="\#(e(header.courtName))" courtCode="\#(e(header.courtCode))" year="\#(header.year)" number="\#(header.number)""#
        root +=
            #" title="\#(e(header.title))" date="\#(header.date)" dateText="\#(chineseDate(header.date))" hotline="\#(e(header.hotline))""#
        root += #" status="\#(header.isDraft ? "draft" : "published")" count="\#(items.count)">"#
        lines.append(root)
        if let corrects = header.corrects {
            lines.append(#"  <corrects issue="\#(e(corrects.id))" title="\#(e(corrects.title))"/>"#)
        }
        for item in items {
            let subject = item.subject
            lines.append(#"  <entry id="\#(e(item.entryID))" subject="\#(subject.isOrganization ? "organization" : "person")">"#)
            lines.append("    <name>\(e(subject.name))</name>")
            if subject.isOrganization {
                lines.append("    <creditCode>\(e(subject.publishedID))</creditCode>")
                if let line = XMLText.element("legalRepresentative", subject.legalRepresentative, indent: "    ") { lines.append(line) }
            } else {
                lines.append("    <sex>\(subject.sex ?? "")</sex>")
                lines.append("    <age>\(subject.age ?? 0)</age>")
                lines.append("    <idNumber>\(e(subject.publishedID))</idNumber>")
            }
            if let line = XMLText.element("address", subject.address, indent: "    ") { lines.append(line) }
            if let photo = item.photoSHA256 { lines.append(#"    <photo sha256="\#(e(photo))"/>"#) }
            lines.append("    <caseNumber>\(e(item.caseNumber))</caseNumber>")
            lines.append("    <filedOn>\(item.filedOn)</filedOn>")
            lines.append(#"    <basis issuedBy="\#(e(item.basisIssuedBy))" number="\#(e(item.basisNumber))"/>"#)
            if let line = XMLText.element("duty", item.duty, indent: "    ") { lines.append(line) }
            let unexecuted = Money(fen: max(item.unexecutedFen, 0))
            lines.append(
                #"    <unexecuted fen="\#(unexecuted.fen)" yuan="\#(e(unexecuted.formatted))" wan="\#(unexecuted.wanYuan)" asOf="\#(item.asOf)" asOfText="\#(chineseDate(item.asOf))"/>"#
            )
            for circumstance in item.circumstances {
                lines.append(#"    <circumstance number="\#(circumstance.rawValue)">\#(e(circumstance.text))</circumstance>"#)
            }
            lines.append(#"    <decision number="\#(e(item.decisionNumber))" date="\#(item.decidedOn)"/>"#)
            if let deleted = item.deletedOn {
                lines.append(
                    #"    <deletion date="\#(deleted)" dateText="\#(chineseDate(deleted))" reason="\#(e(item.deletionReason ?? ""))"/>"#)
            }
            lines.append("  </entry>")
        }
        lines.append("</notice>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// 2026年3月2日.
    static func chineseDate(_ date: CalendarDate) -> String { date.chinese }
}

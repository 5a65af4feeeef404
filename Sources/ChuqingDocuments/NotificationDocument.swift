import ChuqingDomain

/// A notification of a listing, deletion or revocation (法释〔2017〕7号 art. 8) as canonical XML
/// (`Templates/documents/notification.xsd`), addressed to a credit platform or, for a public
/// official, the employer. Not public: it carries the full ID number the recipient needs to match
/// its own records.
public enum NotificationDocument {
    public static let namespace = "urn:chuqing:notification:1"

    public typealias Content = ListNotification

    public static func xml(_ content: Content) -> String {
        let e = XMLText.escape
        var lines = [#"<?xml version="1.0" encoding="UTF-8"?>"#]
        lines.append(
            #"<notification xmlns="\#(namespace)" id="\#(e(content.id))" event="\#(content.event.rawValue)" eventName="\#(content.event.chinese)" recipientKind="\#(e(content.recipientKind))" recipient="\#(e(content.recipient))" court="\#(e(content.courtName))" courtCode="\#(e(content.courtCode))" date="\#(content.date)" dateText="\#(NoticeDocument.chineseDate(content.date))">"#
        )
        lines.append(#"  <debtor kind="\#(content.debtorKind.rawValue)" publicOfficial="\#(content.isPublicOfficial)">"#)
        lines.append("    <name>\(e(content.debtorName))</name>")
        lines.append("    <idNumber>\(e(content.idNumber))</idNumber>")
        lines.append("  </debtor>")
        lines.append("  <caseNumber>\(e(content.caseNumber))</caseNumber>")
        var decision = #"  <decision number="\#(e(content.decisionNumber))" date="\#(content.decidedOn)""#
        if let expires = content.expiresOn { decision += #" expiresOn="\#(expires)""# }
        lines.append(decision + "/>")
        for circumstance in content.circumstances {
            lines.append(#"  <circumstance number="\#(circumstance.rawValue)">\#(e(circumstance.text))</circumstance>"#)
        }
        if let removed = content.removedOn {
            lines.append(#"  <removal date="\#(removed)" reason="\#(e(content.removalReason ?? ""))"/>"#)
        }
        lines.append("</notification>")
        return lines.joined(separator: "\n") + "\n"
    }
}

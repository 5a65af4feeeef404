import ChuqingDomain

/// The public-officials team's letters (失信情况通报函 and 移送函) as canonical XML
/// (`Templates/documents/official-letter.xsd`). The XML is what was sent: it is stored with the
/// push or escalation and rendered again from the stored text, so a later edit of the debtor or the
/// case never changes a letter already sent.
public enum OfficialLetterDocument {
    public static let namespace = "urn:chuqing:official-letter:1"

    public static func xml(_ letter: OfficialLetter) -> String {
        let e = XMLText.escape
        let unperformed = Money(fen: letter.unperformedFen)
        var lines = [#"<?xml version="1.0" encoding="UTF-8"?>"#]
        lines.append(
            #"<officialLetter xmlns="\#(namespace)" kind="\#(letter.kind.rawValue)" number="\#(e(letter.number))" court="\#(e(letter.courtName))" courtCode="\#(e(letter.courtCode))" date="\#(letter.date)" dateText="\#(letter.date.chinese)">"#
        )
        lines.append("  <recipient>\(e(letter.recipient))</recipient>")
        lines.append(#"  <debtor kind="\#(letter.debtorKind.rawValue)">"#)
        lines.append("    <name>\(e(letter.debtorName))</name>")
        lines.append("    <idNumber>\(e(letter.idNumber))</idNumber>")
        lines.append("    <standings>\(e(letter.standings))</standings>")
        lines.append("    <employer>\(e(letter.employer))</employer>")
        lines.append("  </debtor>")
        lines.append(#"  <case number="\#(e(letter.caseNumber))">"#)
        for applicant in letter.applicants { lines.append("    <applicant>\(e(applicant))</applicant>") }
        lines.append(#"    <basis number="\#(e(letter.basisNumber))" issuedBy="\#(e(letter.basisIssuedBy))"/>"#)
        if let duty = letter.duty, !duty.isEmpty { lines.append("    <duty>\(e(duty))</duty>") }
        lines.append(
            #"    <unperformed fen="\#(letter.unperformedFen)" yuan="\#(e(String(unperformed.formatted.dropFirst())))" asOf="\#(letter.date)" asOfText="\#(letter.date.chinese)"/>"#
        )
        lines.append("  </case>")
        lines.append(#"  <deadline date="\#(letter.dueOn)" dateText="\#(letter.dueOn.chinese)"/>"#)
        for body in letter.bodies { lines.append("  <escalatesTo>\(e(body))</escalatesTo>") }
        if let number = letter.pushNumber, let sent = letter.pushSentOn, let recipient = letter.pushRecipient {
            lines.append(
                #"  <push number="\#(e(number))" sentOn="\#(sent)" sentOnText="\#(sent.chinese)" recipient="\#(e(recipient))"/>"#)
        }
        if let judge = letter.judgeName, !judge.isEmpty { lines.append("  <judge>\(e(judge))</judge>") }
        lines.append("</officialLetter>")
        return lines.joined(separator: "\n") + "\n"
    }
}

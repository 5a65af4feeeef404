import ChuqingDomain

/// The campaign bulletin (工作通报) of a clearance batch as a canonical XML document
/// (`Templates/documents/bulletin.xsd`), rendered to HTML and plain text by the XSLT stylesheets
/// beside it. Its figures are `BatchProgress`'s, the same as the progress API and the batch page.
public enum CampaignBulletin {
    public static let namespace = "urn:chuqing:bulletin:1"

    /// The document for `progress` of a batch of `courtName`.
    public static func xml(_ progress: BatchProgress, courtName: String, courtCode: String) -> String {
        var lines: [String] = []
        lines.append(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        lines.append(
            #"<bulletin xmlns="\#(namespace)" court="\#(escape(courtName))" courtCode="\#(escape(courtCode))" batch="\#(escape(progress.batchName))" asOf="\#(progress.asOf)" asOfText="\#(progress.asOf.month)月\#(progress.asOf.day)日">"#
        )
        lines.append(
            #"  <cleared cases="\#(progress.clearedCases)" target="\#(progress.targetCases)" inProgress="\#(progress.inProgressCases)" total="\#(progress.totalCases)"/>"#
        )
        let recovered = Money(fen: progress.recoveredFen)
        lines.append(#"  <recovered fen="\#(progress.recoveredFen)" wan="\#(recovered.wanYuan)" yuan="\#(escape(recovered.formatted))"/>"#)
        for kind in MeasureKind.allCases {
            let total = progress.measures[kind.rawValue] ?? 0
            guard total > 0 else { continue }
            // Fines are money: 罚款1.5万元; every other kind is a count with its unit.
            let text = kind == .fine ? Money(fen: total).wanYuan : "\(total)\(kind.unit)"
            lines.append(#"  <measure kind="\#(kind.rawValue)" name="\#(kind.chinese)" total="\#(total)" text="\#(escape(text))"/>"#)
        }
        if progress.teams.officialsPushed > 0 {
            lines.append(#"  <officials pushed="\#(progress.teams.officialsPushed)" escalated="\#(progress.teams.officialsEscalated)"/>"#)
        }
        if progress.teams.settlementsMade > 0 {
            lines.append(#"  <settlements made="\#(progress.teams.settlementsMade)" running="\#(progress.teams.settlementsRunning)"/>"#)
        }
        lines.append(#"  <deadline date="\#(progress.deadline)" daysLeft="\#(progress.daysLeft)"/>"#)
        lines.append("</bulletin>")
        return lines.joined(separator: "\n") + "\n"
    }

    static func escape(_ text: String) -> String { XMLText.escape(text) }
}

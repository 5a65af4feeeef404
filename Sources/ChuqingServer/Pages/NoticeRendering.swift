import ChuqingDocuments
import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Synchronization

/// Builds, validates and renders the notice and notification documents with the compiled
/// templates. Every document is checked against its XSD before it is stored or approved.
final class NoticeRendering: Sendable {
    let templates: DocumentTemplates
    /// Rendered public pages by issue, format and the entries withdrawn since publication: a
    /// published issue changes only when an entry is withdrawn, which changes the key.
    private let cache = Mutex<[String: String]>([:])

    init(templates: DocumentTemplates) {
        self.templates = templates
    }

    /// The canonical XML of an issue, validated against `notice.xsd`; a failure is a 422 that
    /// quotes the schema's message.
    func noticeXML(_ header: NoticeHeader, _ items: [NoticeItem]) throws -> String {
        let xml = NoticeDocument.xml(header, items: items)
        do {
            try templates.noticeSchema.validate(xml)
        } catch let error as DocumentError {
            throw DomainError(code: "notice_invalid", message: "公告文档未通过 XSD 校验，不能审批或发布：\(error.description)")
        }
        return xml
    }

    /// The notification renderer the repositories call inside their transactions.
    var notification: NotificationRenderer {
        let schema = templates.notificationSchema
        return { content in
            let xml = NotificationDocument.xml(content)
            do {
                try schema.validate(xml)
            } catch let error as DocumentError {
                throw DomainError(code: "notification_invalid", message: "通知文档未通过 XSD 校验：\(error.description)")
            }
            return xml
        }
    }

    enum Format: String {
        case html, text, print, xml
    }

    /// The letter renderer the officials service calls before it stores a letter.
    var officialLetterXML: OfficialLetterRenderer {
        let schema = templates.officialLetterSchema
        return { letter in
            let xml = OfficialLetterDocument.xml(letter)
            do {
                try schema.validate(xml)
            } catch let error as DocumentError {
                throw DomainError(code: "letter_invalid", message: "函件文档未通过 XSD 校验：\(error.description)")
            }
            return xml
        }
    }

    /// A stored letter as HTML for the screen or for print.
    func officialLetter(_ xml: String, format: Format) throws -> String {
        switch format {
        case .xml: xml
        case .print: try templates.officialLetter.transform(xml, parameters: [("medium", "print"), ("header", templates.header ?? "")])
        default: try templates.officialLetter.transform(xml, parameters: [("medium", "screen"), ("header", templates.header ?? "")])
        }
    }

    /// The applicant's notice of a look-up's result in `format` (html, text or xml), validated
    /// against `lookup-notice.xsd` first.
    func lookupNotice(_ content: LookupNoticeDocument.Content, format: Format) throws -> String {
        let xml = LookupNoticeDocument.xml(content)
        do {
            try templates.lookupNoticeSchema.validate(xml)
        } catch let error as DocumentError {
            throw DomainError(code: "lookup_notice_invalid", message: "告知书文档未通过 XSD 校验：\(error.description)")
        }
        let parameters = [("header", templates.header ?? "")]
        return switch format {
        case .xml: xml
        case .text: try templates.lookupNoticeText.transform(xml, parameters: parameters)
        case .html, .print: try templates.lookupNoticeHTML.transform(xml, parameters: parameters)
        }
    }

    /// The public copy of a published issue in `format`: entries withdrawn since publication are
    /// replaced by "该信息已依法删除" (rules.md §7.13); the stored XML itself is never touched.
    func publicDocument(issueID: String, stored: String, withdrawn: [String], format: Format) throws -> String {
        let key = "\(issueID)|\(format.rawValue)|\(withdrawn.joined(separator: ","))"
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let publicXML =
            withdrawn.isEmpty
            ? stored
            : try templates.noticePublic.transform(stored, parameters: [("removed", " " + withdrawn.joined(separator: " ") + " ")])
        let rendered =
            switch format {
            case .xml: publicXML
            case .html: try templates.noticeHTML.transform(publicXML, parameters: parameters(issueID: issueID, print: false))
            case .print: try templates.noticePrint.transform(publicXML, parameters: parameters(issueID: issueID, print: true))
            case .text: try templates.noticeText.transform(publicXML, parameters: [("header", templates.header ?? "")])
            }
        cache.withLock { cache in
            if cache.count > 2_000 { cache.removeAll() }  // a bound, not a policy: entries are cheap to rebuild
            cache[key] = rendered
        }
        return rendered
    }

    /// A draft's HTML (for the clerk and the director before approval), never cached: staff
    /// photo URLs, no tip-off or print links.
    func draftHTML(_ header: NoticeHeader, _ items: [NoticeItem]) throws -> String {
        try templates.noticeHTML.transform(
            NoticeDocument.xml(header, items: items),
            parameters: parameters(photoBase: "/blacklist/entry-photos/", tipoffURL: "", printURL: ""))
    }

    private func parameters(issueID: String, print: Bool) -> [(String, String)] {
        parameters(
            photoBase: "/notices/\(issueID)/photos/", tipoffURL: TipController.formPath, printURL: print ? nil : "/notices/\(issueID)/print"
        )
    }

    /// The stylesheets' parameters; `printURL` nil leaves it out (the print stylesheet has none).
    private func parameters(photoBase: String, tipoffURL: String, printURL: String?) -> [(String, String)] {
        var result = [
            ("photoBase", photoBase), ("header", templates.header ?? ""),
            ("logo", templates.logo == nil ? "" : NoticePages.logoPath), ("tipoffURL", tipoffURL),
        ]
        if let printURL { result.append(("printURL", printURL)) }
        return result
    }
}

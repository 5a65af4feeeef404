import ChuqingDocuments
import Foundation

/// The XSD and XSLT of every document the server builds, compiled once at start-up from
/// `Templates/documents/`. A court replaces any of them, and adds its own header text
/// (`court-header.txt`) and logo (`court-logo.png`, `.jpg` or `.svg`), by putting files of the same
/// name in the folder `CHUQING_DOCUMENT_TEMPLATES` names; no rebuild. A file that does not compile
/// stops start-up with its path and line.
struct DocumentTemplates: Sendable {
    let bulletinSchema: XMLSchema
    let bulletinHTML: XSLTStylesheet
    let bulletinText: XSLTStylesheet
    let noticeSchema: XMLSchema
    let noticeHTML: XSLTStylesheet
    let noticeText: XSLTStylesheet
    let noticePrint: XSLTStylesheet
    /// Replaces entries removed since publication by `<removed/>` for the public copy.
    let noticePublic: XSLTStylesheet
    let notificationSchema: XMLSchema
    let notificationHTML: XSLTStylesheet
    let notificationText: XSLTStylesheet
    /// The applicant's notice of an asset look-up's result (财产查询结果告知书).
    let lookupNoticeSchema: XMLSchema
    let lookupNoticeHTML: XSLTStylesheet
    let lookupNoticeText: XSLTStylesheet
    /// The public-officials team's 通报函 and 移送函 (screen and print, by the `medium` parameter).
    let officialLetterSchema: XMLSchema
    let officialLetter: XSLTStylesheet
    /// The court's own heading for notices, replacing the court's name.
    let header: String?
    let logo: Logo?

    struct Logo: Sendable {
        let bytes: Data
        let contentType: String
    }

    static let logoFiles = ["court-logo.png": "image/png", "court-logo.jpg": "image/jpeg", "court-logo.svg": "image/svg+xml"]

    init(directory: URL, overrides: URL? = nil) throws {
        func source(_ name: String) -> URL {
            if let overrides {
                let replaced = overrides.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: replaced.path) { return replaced }
            }
            return directory.appendingPathComponent(name)
        }
        func text(_ name: String) throws -> (String, String) {
            let url = source(name)
            do {
                return (try String(contentsOf: url, encoding: .utf8), url.path)
            } catch {
                throw DocumentError(description: "无法读取模板 \(url.path)：\(error.localizedDescription)")
            }
        }
        func schema(_ name: String) throws -> XMLSchema {
            let (content, path) = try text(name)
            return try XMLSchema(content, name: path)
        }
        func stylesheet(_ name: String) throws -> XSLTStylesheet {
            let (content, path) = try text(name)
            return try XSLTStylesheet(content, name: path)
        }
        bulletinSchema = try schema("bulletin.xsd")
        bulletinHTML = try stylesheet("bulletin-html.xsl")
        bulletinText = try stylesheet("bulletin-text.xsl")
        noticeSchema = try schema("notice.xsd")
        noticeHTML = try stylesheet("notice-html.xsl")
        noticeText = try stylesheet("notice-text.xsl")
        noticePrint = try stylesheet("notice-print.xsl")
        noticePublic = try stylesheet("notice-public.xsl")
        notificationSchema = try schema("notification.xsd")
        notificationHTML = try stylesheet("notification-html.xsl")
        notificationText = try stylesheet("notification-text.xsl")
        lookupNoticeSchema = try schema("lookup-notice.xsd")
        lookupNoticeHTML = try stylesheet("lookup-notice-html.xsl")
        lookupNoticeText = try stylesheet("lookup-notice-text.xsl")
        officialLetterSchema = try schema("official-letter.xsd")
        officialLetter = try stylesheet("official-letter.xsl")
        if let overrides {
            let headerFile = overrides.appendingPathComponent("court-header.txt")
            header = (try? String(contentsOf: headerFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            logo =
                Self.logoFiles.sorted { $0.key < $1.key }.lazy.compactMap { name, type in
                    (try? Data(contentsOf: overrides.appendingPathComponent(name))).map { Logo(bytes: $0, contentType: type) }
                }.first
        } else {
            header = nil
            logo = nil
        }
    }
}

import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Testing

@testable import ChuqingDocuments

@Suite("Notice documents: XML, XSD, XSLT")
struct NoticeDocumentTests {
    static func template(_ name: String) throws -> String {
        try String(contentsOf: TestSupport.repositoryRoot.appendingPathComponent("Templates/documents/\(name)"), encoding: .utf8)
    }

    static func stylesheet(_ name: String) throws -> XSLTStylesheet { try XSLTStylesheet(try template(name), name: name) }
    static func schema(_ name: String) throws -> XMLSchema { try XMLSchema(try template(name), name: name) }

    static func d(_ text: String) -> CalendarDate { try! CalendarDate.parse(text) }

    /// A fixed issue: a person (with photo), an organisation, and a person whose name tries to
    /// break out of the markup.
    static func issue(name: String = "陈某生", kind: NoticeKind = .blacklist) throws -> String {
        let date = d("2026-03-02")
        let person = NoticeSubject(
            kind: .person, name: name, identifier: .citizen(try CitizenID("36073219780312131X", today: date)),
            legalRepresentative: nil, township: "潋江镇", village: "城东村", on: date)
        let company = NoticeSubject(
            kind: .organization, name: "江西某置业有限公司",
            identifier: try DebtorIdentifier.parse("91360732MA35C2Q11A", kind: .organization, today: date),
            legalRepresentative: "黄某", township: nil, village: nil, on: date)
        let header = NoticeHeader(
            id: "00000000-0000-0000-0000-000000000001", kind: kind, courtName: "兴国县人民法院", courtCode: "赣0732",
            hotline: "0797-5322110", year: 2026, number: 3, date: date, isDraft: false, corrects: nil)
        let items = [
            NoticeItem(
                entryID: "e1", subject: person, caseNumber: "（2023）赣0732执1022号", filedOn: d("2023-03-14"), basisIssuedBy: "兴国县人民法院",
                basisNumber: "（2022）赣0732民初2211号", duty: "偿还借款本金人民币120000元及利息", unexecutedFen: 12_000_000, asOf: date,
                circumstances: [.ableButRefusing], decisionNumber: "（2026）赣0732执1022号之一", decidedOn: d("2026-01-05"),
                deletedOn: kind == .creditRepair ? d("2026-02-27") : nil, deletionReason: kind == .creditRepair ? "已履行完毕" : nil,
                photoSHA256: String(repeating: "ab", count: 32)),
            NoticeItem(
                entryID: "e2", subject: company, caseNumber: "（2023）赣0732执1023号", filedOn: d("2023-03-15"), basisIssuedBy: "兴国县人民法院",
                basisNumber: "（2022）赣0732民初2315号", duty: nil, unexecutedFen: 35_000_000, asOf: date,
                circumstances: [.violatingPropertyReporting, .violatingConsumptionRestriction], decisionNumber: "（2026）赣0732执1023号之一",
                decidedOn: d("2026-01-05"), deletedOn: kind == .creditRepair ? d("2026-02-28") : nil,
                deletionReason: kind == .creditRepair ? "失信期限届满" : nil, photoSHA256: nil),
        ]
        return NoticeDocument.xml(header, items: items)
    }

    static let parameters = [
        ("photoBase", "/notices/00000000-0000-0000-0000-000000000001/photos/"), ("header", ""), ("logo", ""),
        ("tipoffURL", "/tips/new"), ("printURL", "/notices/00000000-0000-0000-0000-000000000001/print"),
    ]

    /// Compares `text` with the golden file, or writes it when CHUQING_RECORD_GOLDEN=1.
    static func golden(_ name: String, _ text: String) throws {
        let url = TestSupport.repositoryRoot.appendingPathComponent("Tests/ChuqingDocumentsTests/Golden/\(name)")
        if ProcessInfo.processInfo.environment["CHUQING_RECORD_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text == expected, "\(name) differs from its golden file; rerun with CHUQING_RECORD_GOLDEN=1 after checking the change")
    }

    @Test(arguments: [NoticeKind.blacklist, .creditRepair])
    func theOutputIsPinnedByGoldenFilesAndJudgedByOutsideTools(kind: NoticeKind) throws {
        let xml = try Self.issue(kind: kind)
        try Self.schema("notice.xsd").validate(xml)
        try ExternalCheckers.validateWithXmllint(xml, schema: "notice.xsd")
        let html = try Self.stylesheet("notice-html.xsl").transform(xml, parameters: Self.parameters)
        let text = try Self.stylesheet("notice-text.xsl").transform(xml, parameters: [("header", "")])
        let print = try Self.stylesheet("notice-print.xsl").transform(xml, parameters: Self.parameters)
        try ExternalCheckers.parseHTML(html)
        try ExternalCheckers.parseHTML(print)
        try Self.golden("notice-\(kind.rawValue).xml", xml)
        try Self.golden("notice-\(kind.rawValue).html", html)
        try Self.golden("notice-\(kind.rawValue).txt", text)
        try Self.golden("notice-\(kind.rawValue)-print.html", print)
        #expect(!html.contains("36073219780312131X"))
        #expect(html.contains("3607321978****131X"))
    }

    @Test func theGoldenScriptReadsAsTheRadioWillSayIt() throws {
        let text = try Self.stylesheet("notice-text.xsl").transform(try Self.issue(), parameters: [("header", "")])
        #expect(text.contains("1. 陈某生，男，47岁，潋江镇城东村。案号（2023）赣0732执1022号，截至2026年3月2日尚未履行12万元。失信情形：有履行能力而拒不履行生效法律文书确定义务的。"))
        #expect(text.contains("2. 江西某置业有限公司，法定代表人黄某。"))
        #expect(text.contains("违反财产报告制度的；违反限制消费令的"))
        #expect(text.hasSuffix("举报电话：0797-5322110。兴国县人民法院，2026年3月2日。\n"))
    }

    @Test(arguments: ["张<三>", "李&四", "王]]>五", "赵\"六'", "<script>alert(1)</script>"])
    func aNameIsDataNeverMarkup(name: String) throws {
        let xml = try Self.issue(name: name)
        try Self.schema("notice.xsd").validate(xml)
        try ExternalCheckers.validateWithXmllint(xml, schema: "notice.xsd")
        let html = try Self.stylesheet("notice-html.xsl").transform(xml, parameters: Self.parameters)
        try ExternalCheckers.parseHTML(html)
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<三>"))
        let text = try Self.stylesheet("notice-text.xsl").transform(xml, parameters: [("header", "")])
        #expect(text.contains("1. \(name)，男"))
    }

    @Test func theSchemaRefusesWhatMayNotBePublished() throws {
        let schema = try Self.schema("notice.xsd")
        let xml = try Self.issue()
        // a full ID number, a minor, a negative amount
        for (from, to) in [
            ("3607321978****131X", "36073219780312131X"), ("<age>47</age>", "<age>17</age>"), (#"fen="12000000""#, #"fen="-1""#),
        ] {
            #expect(throws: DocumentError.self) { try schema.validate(xml.replacingOccurrences(of: from, with: to)) }
        }
    }

    @Test func theWithdrawnEntryIsReplacedInThePublicCopyOnly() throws {
        let xml = try Self.issue()
        let publicCopy = try Self.stylesheet("notice-public.xsl").transform(xml, parameters: [("removed", " e1 ")])
        try Self.schema("notice.xsd").validate(publicCopy)
        #expect(!publicCopy.contains("陈某生"))
        #expect(publicCopy.contains("江西某置业有限公司"))
        let html = try Self.stylesheet("notice-html.xsl").transform(publicCopy, parameters: Self.parameters)
        #expect(html.contains("该信息已依法删除"))
        #expect(!html.contains("陈某生"))
        // no ids, no change; a parameter is a string, never XPath
        #expect(try Self.stylesheet("notice-public.xsl").transform(xml, parameters: [("removed", "')] | //* | x[('")]).contains("陈某生"))
    }

    @Test func aBrokenStylesheetIsRefusedWithItsFileAndLine() throws {
        let notWellFormed = """
            <?xml version="1.0"?>
            <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
              <xsl:template match="/"><p></xsl:template>
            </xsl:stylesheet>
            """
        #expect { try XSLTStylesheet(notWellFormed, name: "court/notice-html.xsl") } throws: { error in
            let text = "\(error)"
            return text.contains("court/notice-html.xsl:3: parser error : Opening and ending tag mismatch")
        }
        let notXSLT = """
            <?xml version="1.0"?>
            <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
              <xsl:template match="/">
                <xsl:value-of select="]["/>
              </xsl:template>
            </xsl:stylesheet>
            """
        #expect { try XSLTStylesheet(notXSLT, name: "court/notice-text.xsl") } throws: { error in
            let text = "\(error)"
            return text.contains("court/notice-text.xsl") && text.contains("line 4")
        }
        let badSchema = #"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="x" type="nope"/></xs:schema>"#
        #expect(throws: DocumentError.self) { try XMLSchema(badSchema, name: "notice.xsd") }
    }

    @Test func externalEntitiesAreNeverResolved() throws {
        let hostile = """
            <?xml version="1.0"?>
            <!DOCTYPE notice [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <notice xmlns="urn:chuqing:notice:1" title="&secret;"><entry><name>&secret;</name></entry></notice>
            """
        let output = (try? Self.stylesheet("notice-text.xsl").transform(hostile, parameters: [("header", "")])) ?? ""
        #expect(!output.contains("root:"))
        #expect(throws: DocumentError.self) { try Self.schema("notice.xsd").validate(hostile) }
        // a stylesheet may not read files either
        let reader = """
            <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
              <xsl:output method="text"/>
              <xsl:template match="/"><xsl:value-of select="document('file:///etc/passwd')"/></xsl:template>
            </xsl:stylesheet>
            """
        let read = (try? XSLTStylesheet(reader, name: "reader.xsl").transform("<x/>")) ?? ""
        #expect(!read.contains("root:"))
    }

    @Test func notificationsValidateAndReadAsALetter() throws {
        let date = Self.d("2026-03-02")
        let notification = ListNotification(
            id: "n1", event: .listed, recipientKind: "employer", recipient: "兴国县某局", courtName: "兴国县人民法院", courtCode: "赣0732",
            date: date, debtorName: "陈某生", debtorKind: .person, idNumber: "36073219780312131X", caseNumber: "（2023）赣0732执1022号",
            decisionNumber: "（2026）赣0732执1022号之一", decidedOn: Self.d("2026-01-05"), circumstances: [.ableButRefusing], expiresOn: nil,
            isPublicOfficial: true, removedOn: nil, removalReason: nil)
        let xml = NotificationDocument.xml(notification)
        try Self.schema("notification.xsd").validate(xml)
        try ExternalCheckers.validateWithXmllint(xml, schema: "notification.xsd")
        let text = try Self.stylesheet("notification-text.xsl").transform(xml)
        #expect(text.hasPrefix("兴国县人民法院关于纳入失信被执行人名单的通知\n\n兴国县某局："))
        #expect(text.contains("请依照有关规定对其予以惩戒"))
        try ExternalCheckers.parseHTML(try Self.stylesheet("notification-html.xsl").transform(xml))
    }
}

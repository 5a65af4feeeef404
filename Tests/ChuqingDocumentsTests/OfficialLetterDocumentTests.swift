import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Testing

@testable import ChuqingDocuments

/// Issue 18 item 1: the 失信情况通报函 and the 移送函, pinned by golden files and checked by xmllint.
@Suite("Official letters: XML, XSD, XSLT")
struct OfficialLetterDocumentTests {
    static func d(_ text: String) -> CalendarDate { try! CalendarDate.parse(text) }

    static func letter(_ kind: OfficialLetter.Kind, name: String = "陈某生") -> OfficialLetter {
        OfficialLetter(
            kind: kind, number: kind == .push ? "（2023）赣0732执1022号通报函1" : "（2023）赣0732执1022号通报函1移送函1",
            courtName: "兴国县人民法院", courtCode: "赣0732", recipient: kind == .push ? "兴国县农业农村局" : "县纪委监委",
            date: kind == .push ? d("2026-03-02") : d("2026-04-02"), debtorName: name, debtorKind: .person,
            idNumber: "36073219780312131X", standings: "国家工作人员、人大代表（县级）", employer: "兴国县农业农村局",
            caseNumber: "（2023）赣0732执1022号", applicants: ["钟某华"], basisNumber: "（2022）赣0732民初2211号", basisIssuedBy: "兴国县人民法院",
            duty: "偿还借款本金人民币120000元及利息", unperformedFen: 12_000_000, dueOn: d("2026-04-01"),
            bodies: kind == .push ? ["县纪委监委", "县委组织部"] : [], pushNumber: kind == .push ? nil : "（2023）赣0732执1022号通报函1",
            pushSentOn: kind == .push ? nil : d("2026-03-02"), pushRecipient: kind == .push ? nil : "兴国县农业农村局", judgeName: "张某")
    }

    static func stylesheet() throws -> XSLTStylesheet {
        try XSLTStylesheet(try NoticeDocumentTests.template("official-letter.xsl"), name: "official-letter.xsl")
    }

    @Test(arguments: [OfficialLetter.Kind.push, .escalation])
    func theLettersArePinnedByGoldenFilesAndJudgedByOutsideTools(kind: OfficialLetter.Kind) throws {
        let xml = OfficialLetterDocument.xml(Self.letter(kind))
        try NoticeDocumentTests.schema("official-letter.xsd").validate(xml)
        try ExternalCheckers.validateWithXmllint(xml, schema: "official-letter.xsd")
        let html = try Self.stylesheet().transform(xml, parameters: [("medium", "screen"), ("header", "")])
        let print = try Self.stylesheet().transform(xml, parameters: [("medium", "print"), ("header", "")])
        try ExternalCheckers.parseHTML(html)
        try ExternalCheckers.parseHTML(print)
        try NoticeDocumentTests.golden("official-\(kind.rawValue).xml", xml)
        try NoticeDocumentTests.golden("official-\(kind.rawValue).html", html)
        try NoticeDocumentTests.golden("official-\(kind.rawValue)-print.html", print)
        #expect(print.contains("@page { size: A4"))
        #expect(!html.contains("@page"))
    }

    @Test func thePushSetsTheDeadlineAndNamesTheBodiesItWillGoTo() throws {
        let html = try Self.stylesheet().transform(OfficialLetterDocument.xml(Self.letter(.push)))
        #expect(html.contains("关于陈某生未履行生效法律文书确定义务的通报函"))
        #expect(html.contains("兴国县农业农村局："))
        #expect(html.contains("尚有人民币120,000.00元未履行"))
        #expect(html.contains("请贵单位督促其于2026年4月1日前履行上述义务"))
        #expect(html.contains("移送县纪委监委、县委组织部依纪依法处理"))
        #expect(html.contains("第八条"))
    }

    @Test func theEscalationCitesThePushAndItsDeadline() throws {
        let html = try Self.stylesheet().transform(OfficialLetterDocument.xml(Self.letter(.escalation)))
        #expect(html.contains("县纪委监委："))
        #expect(html.contains("本院已于2026年3月2日向兴国县农业农村局发出通报函（（2023）赣0732执1022号通报函1）"))
        #expect(html.contains("期限届满，被执行人仍未履行"))
    }

    @Test(arguments: ["张<三>", "李&四", "<script>alert(1)</script>"])
    func aNameIsDataNeverMarkup(name: String) throws {
        let xml = OfficialLetterDocument.xml(Self.letter(.push, name: name))
        try ExternalCheckers.validateWithXmllint(xml, schema: "official-letter.xsd")
        let html = try Self.stylesheet().transform(xml)
        #expect(!html.contains("<script>"))
    }

    @Test func theSchemaRefusesALetterWithoutItsDeadlineOrWithANegativeAmount() throws {
        let schema = try NoticeDocumentTests.schema("official-letter.xsd")
        let xml = OfficialLetterDocument.xml(Self.letter(.push))
        for (from, to) in [(#"fen="12000000""#, #"fen="-1""#), (#"<deadline date="2026-04-01""#, #"<deadline date="2026-04-31""#)] {
            #expect(throws: DocumentError.self) { try schema.validate(xml.replacingOccurrences(of: from, with: to)) }
        }
    }
}

import ChuqingDomain
import Foundation
import Testing
import ZIPFoundation

@testable import ChuqingDocuments

@Suite("Campaign bulletin")
struct CampaignBulletinTests {
    static func template(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("Templates/documents/\(name)"), encoding: .utf8)
    }

    /// 兴国县's first batch as the press reported it: 392 cases cleared, ¥30,718,900 recovered.
    static func xingguo(batchName: String = "第一批任务") throws -> BatchProgress {
        let d = { (text: String) in try! CalendarDate.parse(text) }
        let batch = ClearanceBatch(
            id: UUID(), name: batchName, courtCode: "赣0732", startsOn: d("2026-06-01"), deadline: d("2026-09-30"),
            targetCases: 400, targetRecoveredFen: nil, closedOn: nil)
        let original = Clearance.ChainCase(status: .terminatedThisRound, filedOn: d("2018-01-01"), closedOn: d("2018-07-01"))
        let cases = (0..<400).map { index in
            let chain =
                index < 392
                ? [original, Clearance.ChainCase(status: .fullyEnforced, filedOn: d("2026-07-01"), closedOn: d("2026-09-01"))]
                : [original]
            return BatchCaseFigures(
                caseID: "c\(index)", team: .general, townshipCode: nil, townshipName: nil, judgeID: nil, judgeName: nil,
                chain: chain, recoveredFen: index == 0 ? 3_071_890_000 : 0,
                measures: index == 0 ? [.search: 129, .summons: 203, .detention: 26, .vehicleSeizure: 5] : [:])
        }
        return BatchProgress.compute(batch: batch, cases: cases, asOf: d("2026-09-13"))
    }

    @Test func theSentenceIsThePressOfficesOwn() throws {
        let xml = CampaignBulletin.xml(try Self.xingguo(), courtName: "兴国县人民法院", courtCode: "赣0732")
        try XMLDocuments.validate(xml, schema: try Self.template("bulletin.xsd"))
        let text = try XMLDocuments.transform(xml, stylesheet: try Self.template("bulletin-text.xsl"))
        #expect(text == "截至9月13日，第一批任务出清案件392件，到位金额3071.89万元，搜查129人次，拘传203人，拘留26人，扣押车辆5辆。\n")
        let html = try XMLDocuments.transform(xml, stylesheet: try Self.template("bulletin-html.xsl"))
        #expect(html.contains("兴国县人民法院"))
        #expect(html.contains("出清案件392件"))
        #expect(html.contains("lang=\"zh-CN\""))
    }

    /// Issue 18 item 6: the teams' figures join the sentence once a team has worked.
    @Test func theTeamsFiguresJoinTheSentence() throws {
        var progress = try Self.xingguo()
        progress.teams = .init(officialsPushed: 19, officialsEscalated: 4)
        let xml = CampaignBulletin.xml(progress, courtName: "兴国县人民法院", courtCode: "赣0732")
        try XMLDocuments.validate(xml, schema: try Self.template("bulletin.xsd"))
        let text = try XMLDocuments.transform(xml, stylesheet: try Self.template("bulletin-text.xsl"))
        #expect(
            text == "截至9月13日，第一批任务出清案件392件，到位金额3071.89万元，搜查129人次，拘传203人，拘留26人，扣押车辆5辆；推送涉公职人员19人，逾期移送纪委监委4人。\n")
        let html = try XMLDocuments.transform(xml, stylesheet: try Self.template("bulletin-html.xsl"))
        #expect(html.contains("推送涉公职人员19人，逾期移送纪委监委4人。"))
        // the settlement team's, after the officials'
        progress.teams.settlementsMade = 5
        progress.teams.settlementsRunning = 3
        let both = CampaignBulletin.xml(progress, courtName: "兴国县人民法院", courtCode: "赣0732")
        try XMLDocuments.validate(both, schema: try Self.template("bulletin.xsd"))
        #expect(
            try XMLDocuments.transform(both, stylesheet: try Self.template("bulletin-text.xsl")).hasSuffix(
                "；推送涉公职人员19人，逾期移送纪委监委4人；和解5件，履行中3件。\n"))
        #expect(
            try XMLDocuments.transform(both, stylesheet: try Self.template("bulletin-html.xsl")).contains(
                "逾期移送纪委监委4人；和解5件，履行中3件。"))
    }

    @Test func markupInANameIsTextNotMarkup() throws {
        let xml = CampaignBulletin.xml(try Self.xingguo(batchName: "第二批<b>&\"专项\""), courtName: "兴国县人民法院", courtCode: "赣0732")
        try XMLDocuments.validate(xml, schema: try Self.template("bulletin.xsd"))
        let html = try XMLDocuments.transform(xml, stylesheet: try Self.template("bulletin-html.xsl"))
        #expect(html.contains("第二批&lt;b&gt;&amp;"))
        #expect(!html.contains("<b>&"))
    }

    @Test func aDocumentThatBreaksTheSchemaIsRefused() throws {
        let xml = CampaignBulletin.xml(try Self.xingguo(), courtName: "兴国县人民法院", courtCode: "赣0732")
            .replacingOccurrences(of: "kind=\"search\"", with: "kind=\"arrest\"")
        #expect(throws: (any Error).self) { try XMLDocuments.validate(xml, schema: try Self.template("bulletin.xsd")) }
    }
}

@Suite("XLSX export")
struct XLSXWriterTests {
    @Test func aWorkbookReadsBackCellForCell() throws {
        let rows: [[XLSXWriter.Cell]] = [
            [.text("乡镇"), .text("案件"), .text("出清"), .text("到位金额（分）")],
            [.text("潋江镇 <A&B>"), .number(12), .number(5), .number(3_071_890_000)],
        ]
        let data = try XLSXWriter.workbook(sheetName: "按乡镇", rows: rows)
        let back = try XLSXReader.rows(data)
        #expect(back.map(\.cells) == [["乡镇", "案件", "出清", "到位金额（分）"], ["潋江镇 <A&B>", "12", "5", "3071890000"]])
        #expect(XLSXWriter.column(0) == "A")
        // amounts in 元 with two decimals, the header bold and frozen, columns as wide as their text
        let money = try XLSXWriter.workbook(sheetName: "s", rows: [[.text("到位金额（元）")], [.yuan(4_123_768_700)], [.yuan(-5)]])
        #expect(try XLSXReader.rows(money).map(\.cells) == [["到位金额（元）"], ["41237687.00"], ["-0.05"]])
        let archive = try Archive(data: money, accessMode: .read)
        var sheet = Data()
        _ = try archive.extract(try #require(archive["xl/worksheets/sheet1.xml"])) { sheet.append($0) }
        let xml = String(decoding: sheet, as: UTF8.self)
        #expect(xml.contains(#"state="frozen""#) && xml.contains(#"<c r="A1" t="inlineStr" s="1">"#) && xml.contains(#"<c r="A2" s="2">"#))
        #expect(xml.contains(#"<col min="1" max="1" width="16" customWidth="1"/>"#))
        var styles = Data()
        _ = try archive.extract(try #require(archive["xl/styles.xml"])) { styles.append($0) }
        #expect(String(decoding: styles, as: UTF8.self).contains(#"numFmtId="4""#))
        #expect(XLSXWriter.column(25) == "Z")
        #expect(XLSXWriter.column(26) == "AA")
    }
}

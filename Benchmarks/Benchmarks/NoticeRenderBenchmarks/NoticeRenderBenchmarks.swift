import Benchmark
import ChuqingDocuments
import ChuqingDomain
import Foundation

// Rendering a published 50-person exposure issue from its stored canonical XML to the web page:
// in-process with the compiled stylesheet cached (what `/notices/{id}` does on a cache miss),
// against the reference libxslt tool `xsltproc` run as a process on the same XML and stylesheet,
// in the same run. Goal (issue 7): in-process at least 5× faster. docs/performance.md has the
// figures.

let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let stylesheetPath = root.appendingPathComponent("Templates/documents/notice-html.xsl").path

/// A 50-person issue as publication stores it: persons with photos and organisations, two
/// circumstances on some, the names and numbers of a county court's list.
func fiftyPersonIssue() throws -> String {
    let date = try CalendarDate.parse("2026-03-02")
    let surnames = Array("陈李张刘王杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐")
    let items = try (0..<50).map { index -> NoticeItem in
        let isOrganization = index % 10 == 9
        let subject: NoticeSubject
        if isOrganization {
            subject = NoticeSubject(
                kind: .organization, name: "兴国县某\(index)建材有限公司",
                identifier: try DebtorIdentifier.parse("91360732MA35C2Q11A", kind: .organization, today: date),
                legalRepresentative: "\(surnames[index % surnames.count])某", township: nil, village: nil, on: date)
        } else {
            // A valid ID per person: born 1960–1999, the check character computed.
            let body =
                "360732" + String(1960 + index % 40) + "0" + String(1 + index % 9) + "1" + String(index % 10)
                + String(format: "%03d", 100 + index)
            let id = try CitizenID(body + String(CitizenID.checkCharacter(for: Array(body))), today: date)
            subject = NoticeSubject(
                kind: .person, name: "\(surnames[index % surnames.count])某\(["生", "华", "英", "明", "兰"][index % 5])",
                identifier: .citizen(id), legalRepresentative: nil, township: "潋江镇", village: "第\(index % 12 + 1)村", on: date)
        }
        return NoticeItem(
            entryID: UUID().uuidString.lowercased(), subject: subject, caseNumber: "（2023）赣0732执\(1000 + index)号",
            filedOn: try CalendarDate.parse("2023-03-14"), basisIssuedBy: "兴国县人民法院", basisNumber: "（2022）赣0732民初\(2000 + index)号",
            duty: "偿还借款本金及利息", unexecutedFen: Int64(1_000_000 + index * 37_000), asOf: date,
            circumstances: index % 4 == 0 ? [.ableButRefusing, .violatingConsumptionRestriction] : [.ableButRefusing],
            decisionNumber: "（2026）赣0732执\(1000 + index)号之一", decidedOn: try CalendarDate.parse("2026-01-05"), deletedOn: nil,
            deletionReason: nil, photoSHA256: isOrganization ? nil : String(repeating: "ab", count: 32))
    }
    let header = NoticeHeader(
        id: UUID().uuidString.lowercased(), kind: .blacklist, courtName: "兴国县人民法院", courtCode: "赣0732",
        hotline: "12368", year: 2026, number: 3, date: date, isDraft: false, corrects: nil)
    return NoticeDocument.xml(header, items: items)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput], warmupIterations: 5, maxDuration: .seconds(5), maxIterations: 10_000)

    let xml = try! fiftyPersonIssue()
    let schema = try! XMLSchema(
        String(contentsOfFile: root.appendingPathComponent("Templates/documents/notice.xsd").path, encoding: .utf8),
        name: "notice.xsd")
    try! schema.validate(xml)
    let stylesheet = try! XSLTStylesheet(String(contentsOfFile: stylesheetPath, encoding: .utf8), name: "notice-html.xsl")
    let parameters = [
        ("photoBase", "/notices/x/photos/"), ("header", ""), ("logo", ""), ("tipoffURL", ""), ("printURL", "/notices/x/print"),
    ]
    let xmlPath = FileManager.default.temporaryDirectory.appendingPathComponent("chuqing-notice-50.xml").path
    try! xml.write(toFile: xmlPath, atomically: true, encoding: .utf8)

    Benchmark("Notice issue of 50 → HTML, in-process (compiled stylesheet cached)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try stylesheet.transform(xml, parameters: parameters))
        }
    }

    Benchmark("Notice issue of 50 → HTML, xsltproc process", configuration: .init(maxDuration: .seconds(5), maxIterations: 500)) {
        benchmark in
        for _ in benchmark.scaledIterations {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/xsltproc")
            process.arguments = [
                "--nonet", "--stringparam", "photoBase", "/notices/x/photos/", "--stringparam", "printURL", "/notices/x/print",
                stylesheetPath, xmlPath,
            ]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            blackHole(output.fileHandleForReading.readDataToEndOfFile())
            process.waitUntilExit()
            precondition(process.terminationStatus == 0, "xsltproc failed")
        }
    }

    Benchmark("Notice issue of 50: build the XML and validate it against notice.xsd") { benchmark in
        for _ in benchmark.scaledIterations {
            let document = try fiftyPersonIssue()
            try schema.validate(document)
            blackHole(document)
        }
    }
}

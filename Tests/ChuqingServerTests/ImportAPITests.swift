import ChuqingDocuments
import ChuqingDomain
import ChuqingPersistence
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import ChuqingServer

@Suite("Case import over the API")
struct ImportAPITests {
    static var sample: String {
        get throws {
            try String(
                contentsOf: TestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures/sample-case-export.csv"), encoding: .utf8)
        }
    }

    @Test(arguments: TestEngine.available)
    func theDirectorPostsTheFileAndGetsTheReport(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let token = try await world.token(.director)
            let response = try await client.execute(
                uri: "/api/v1/imports/cases", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"],
                body: ByteBuffer(string: try Self.sample))
            #expect(response.status == .ok)
            #expect(response.json["rowsRead"] as? Int == 11)
            #expect(response.json["casesCreated"] as? Int == 7)
            #expect(response.json["rowsRejected"] as? Int == 2)
            let rejections = try #require(response.json["rejections"] as? [[String: Any]])
            #expect(
                rejections.contains {
                    $0["row"] as? Int == 9 && $0["column"] as? String == "证件号码" && ($0["reason"] as? String)?.contains("应为 6") == true
                })
            #expect(response.json["warnings"] is [Any])
            // issue 16 item 18: the cases it touched, and a 承办人 that names no judge
            let cases = try #require(response.json["cases"] as? [[String: Any]])
            #expect(cases.count == 7 && cases.allSatisfy { $0["created"] as? Bool == true })
            #expect(cases.first?["caseNumber"] as? String == "（2023）赣0732执1022号")
            #expect(
                (response.json["warnings"] as? [String])?.contains { $0.contains("承办人「肖某某」") && $0.contains("（2004）兴法执字第00123号") } == true,
                "\(response.json["warnings"] ?? "")")
        }
    }

    @Test(arguments: TestEngine.available)
    func aMultipartUploadWorksTooAndADryRunWritesNothing(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let token = try await world.token(.director)
            let boundary = "----chuqing\(UUID().uuidString)"
            let body =
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + (try Self.sample) + "\r\n--\(boundary)--\r\n"
            let dry = try await client.execute(
                uri: "/api/v1/imports/cases?dryRun=true", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(string: body))
            #expect(dry.status == .ok)
            #expect(dry.json["casesCreated"] as? Int == 7)
            #expect(dry.json["committed"] as? Bool == false)
            let real = try await client.execute(
                uri: "/api/v1/imports/cases", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(string: body))
            #expect(real.json["casesCreated"] as? Int == 7)  // the dry run left nothing behind
        }
    }

    @Test(arguments: TestEngine.available)
    func aFileWithoutRequiredColumnsIsRefusedWhole(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let token = try await world.token(.judge)
            let response = try await client.execute(
                uri: "/api/v1/imports/cases", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"],
                body: ByteBuffer(string: "案号,被执行人\n（2023）赣0732执1号,张三\n"))
            #expect(response.status == .unprocessableContent)
            #expect(response.errorCode == "missing_columns")
        }
    }
}

@Suite("Case import from XLSX")
struct XLSXImportTests {
    @Test(arguments: TestEngine.available)
    func theWorkbookImportsWithTheSameResultAsTheCSV(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let data = try Data(contentsOf: TestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures/sample-case-export.xlsx"))
            let response = try await client.execute(
                uri: "/api/v1/imports/cases", method: .post,
                headers: [
                    .authorization: "Bearer \(try await world.token(.director))",
                    .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ],
                body: ByteBuffer(bytes: data))
            #expect(response.status == .ok)
            #expect(response.json["casesCreated"] as? Int == 7)
            #expect(response.json["rowsRejected"] as? Int == 2)
            let rows = Set((response.json["rejections"] as? [[String: Any]] ?? []).compactMap { $0["row"] as? Int })
            #expect(rows == [9, 12])
        }
    }
}

@Suite("Row numbers as the clerk sees them")
struct ImportRowNumberTests {
    /// Issue 16 item 21: the sample with a quoted 生效法律文书确定的义务 of three lines on its fifth
    /// row. Excel and WPS show that record as one row, so row 9's bad ID number stays row 9 in the
    /// report, as it does for the same data in a workbook.
    @Test(arguments: TestEngine.available)
    func aQuotedLineBreakDoesNotShiftLaterRows(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let lines = try ImportAPITests.sample.split(whereSeparator: \.isNewline).map(String.init)
            var edited = lines
            edited[4] = lines[4].replacingOccurrences(of: ",赔偿损失,", with: ",\"赔偿\n损失\n（含鉴定费）\",")
            #expect(edited[4] != lines[4])
            let csv = edited.joined(separator: "\r\n")
            let token = try await world.token(.director)
            let fromCSV = try await client.execute(
                uri: "/api/v1/imports/cases?dryRun=true", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"], body: ByteBuffer(string: csv))
            let records = try CSVReader.records(csv)
            let workbook = try XLSXWriter.workbook(sheetName: "导出", rows: records.map { $0.fields.map { .text($0) } })
            let fromXLSX = try await client.execute(
                uri: "/api/v1/imports/cases?dryRun=true", method: .post,
                headers: [
                    .authorization: "Bearer \(token)", .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ],
                body: ByteBuffer(bytes: workbook))
            func rows(_ response: TestResponse) -> Set<Int> {
                Set((response.json["rejections"] as? [[String: Any]] ?? []).compactMap { $0["row"] as? Int })
            }
            #expect(fromCSV.status == .ok)
            #expect(rows(fromCSV) == [9, 12])
            #expect(rows(fromXLSX) == [9, 12])
        }
    }
}

@Suite("A re-import that closes a case ends its listings")
struct ImportTriggerTests {
    /// Issue 16 item 7: a later export says 1022 was 执行完毕 on 2026-02-20 and 3301 终结执行 on
    /// 2026-02-24: the list entries get their triggers as a payment or a transition would give them.
    @Test(arguments: TestEngine.available)
    func aReImportThatClosesACaseRecordsTheDeletionTriggers(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let (chen, _, zhong) = try await NoticeTests.listThree(client, world)
            let lines = try ImportAPITests.sample.split(whereSeparator: \.isNewline).map(String.init)
            let header = lines[0]
            let chenRow = try #require(lines.first { $0.hasPrefix("（2023）赣0732执1022号") })
                .replacingOccurrences(of: "终结本次执行程序,2023-08-30", with: "执行完毕,2026-02-20")
                .replacingOccurrences(of: "\"120,000.00\",0,", with: "\"120,000.00\",120000,")
            let zhongRow = try #require(lines.first { $0.hasPrefix("（2022）赣0732执3301号") })
                .replacingOccurrences(of: "终结本次执行程序,2023-05-12", with: "终结执行,2026-02-24")
            let director = try await world.token(.director)
            let dry = try await client.execute(
                uri: "/api/v1/imports/cases?dryRun=true", method: .post,
                headers: [.authorization: "Bearer \(director)", .contentType: "text/csv"],
                body: ByteBuffer(string: [header, chenRow, zhongRow].joined(separator: "\r\n")))
            #expect(dry.json["casesUpdated"] as? Int == 2)
            func entry(_ id: String) async throws -> [String: Any] {
                try await client.execute(uri: "/api/v1/blacklist-entries/\(id)", method: .get, headers: bearer(director)).json
            }
            let untouched = try await entry(chen)["deletionTrigger"]
            #expect(untouched == nil || untouched is NSNull)  // a dry run writes nothing
            let imported = try await client.execute(
                uri: "/api/v1/imports/cases", method: .post, headers: [.authorization: "Bearer \(director)", .contentType: "text/csv"],
                body: ByteBuffer(string: [header, chenRow, zhongRow].joined(separator: "\r\n")))
            #expect(imported.json["casesUpdated"] as? Int == 2, "\(imported.text)")
            let chenAfter = try await entry(chen)
            #expect(chenAfter["deletionTrigger"] as? String == "performedInFull")
            #expect(chenAfter["triggeredOn"] as? String == "2026-02-20")
            let zhongAfter = try await entry(zhong)
            #expect(zhongAfter["deletionTrigger"] as? String == "terminated")
            #expect(zhongAfter["triggeredOn"] as? String == "2026-02-24")
        }
    }
}

@Suite("A judge's import stays within their own cases")
struct ImportScopeTests {
    static let header = "案号,执行法院,立案日期,承办人,案件状态,结案日期,执行依据文号,做出执行依据单位,申请执行人,被执行人,被执行人类型,证件号码,执行标的金额(元)\n"
    static func row(_ number: String, judge: String, target: String = "120000") -> String {
        "\(number),兴国县人民法院,2023-03-14,\(judge),终结本次执行程序,2023-08-30,（2022）赣0732民初2211号,兴国县人民法院,钟某华,陈某生,自然人,36073219780312131X,\(target)\n"
    }

    static func post(_ client: some TestClientProtocol, _ token: String, _ csv: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/v1/imports/cases", method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"], body: ByteBuffer(string: csv))
    }

    @Test(arguments: TestEngine.available)
    func aJudgeCannotRewriteOrCreateAnotherJudgesCase(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            // setup: the director imported the sample; （2023）赣0732执1022号 is 张某's
            try await CaseAPITests.importSample(client, world)
            let judge = try await world.token(.judge)  // 测试承办法官
            let director = try await world.token(.director)
            let theirs = try await CaseAPITests.caseID(client, director, "（2023）赣0732执1022号")

            // act: a one-row file that would raise 张某's target and take the case over
            let takeOver = try await Self.post(client, judge, Self.header + Self.row("（2023）赣0732执1022号", judge: "测试承办法官", target: "1"))
            // check: refused in the report, under 承办人, and the case untouched
            #expect(takeOver.status == .ok)
            #expect(takeOver.json["casesUpdated"] as? Int == 0 && takeOver.json["rowsRejected"] as? Int == 1)
            let refusal = try #require((takeOver.json["rejections"] as? [[String: Any]])?.first)
            #expect(refusal["column"] as? String == "承办人")
            #expect((refusal["reason"] as? String)?.contains("不是您承办的案件") == true)
            let stored = try await client.execute(uri: "/api/v1/cases/\(theirs)", method: .get, headers: bearer(director))
            #expect(stored.json["targetFen"] as? Int == 12_000_000)
            #expect(stored.json["judgeName"] as? String == "张某")

            // a new case for another judge: refused; for themselves (named or blank): created
            let forOther = try await Self.post(client, judge, Self.header + Self.row("（2024）赣0732执8001号", judge: "张某"))
            #expect(forOther.json["casesCreated"] as? Int == 0)
            #expect(((forOther.json["rejections"] as? [[String: Any]])?.first?["reason"] as? String)?.contains("承办人为「张某」") == true)
            let own = try await Self.post(
                client, judge,
                Self.header + Self.row("（2024）赣0732执8002号", judge: "")
                    + Self.row("（2024）赣0732执8003号", judge: "测试承办法官"))
            #expect(own.json["casesCreated"] as? Int == 2 && own.json["rowsRejected"] as? Int == 0)
            let mine = CaseAPITests.items(try await client.execute(uri: "/api/v1/cases?limit=100", method: .get, headers: bearer(judge)))
            #expect(Set(mine.compactMap { $0["caseNumber"] as? String }) == ["（2024）赣0732执8002号", "（2024）赣0732执8003号"])
            // their own case updates; handing it to another judge does not
            #expect(
                try await Self.post(client, judge, Self.header + Self.row("（2024）赣0732执8002号", judge: "", target: "130000"))
                    .json["casesUpdated"] as? Int == 1)
            let handOff = try await Self.post(client, judge, Self.header + Self.row("（2024）赣0732执8002号", judge: "张某"))
            #expect(handOff.json["casesUpdated"] as? Int == 0 && handOff.json["rowsRejected"] as? Int == 1)
            // an all-or-nothing import with one such row writes nothing at all
            let whole = try await client.execute(
                uri: "/api/v1/imports/cases?allOrNothing=true", method: .post,
                headers: [.authorization: "Bearer \(judge)", .contentType: "text/csv"],
                body: ByteBuffer(
                    string: Self.header + Self.row("（2024）赣0732执8004号", judge: "")
                        + Self.row("（2023）赣0732执1022号", judge: "")))
            #expect(whole.json["committed"] as? Bool == false && whole.json["casesCreated"] as? Int == 0)
            let encoded = "（2024）赣0732执8004号".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(CaseAPITests.items(try await CaseAPITests.search(client, director, "caseNumber=\(encoded)")).isEmpty)

            // the import page says so before a file is chosen
            let page = try await client.execute(uri: "/imports/cases", method: .get, headers: [.cookie: try await world.cookie(.judge)])
            #expect(page.text.contains("只能新增和更新由您承办的案件"))
            #expect(
                !(try await client.execute(uri: "/imports/cases", method: .get, headers: [.cookie: try await world.cookie(.clerk)]))
                    .text.contains("只能新增和更新由您承办的案件"))
            // the clerk's and the director's imports are court-wide
            let clerk = try await Self.post(
                client, try await world.token(.clerk),
                Self.header + Self.row("（2023）赣0732执1022号", judge: "张某", target: "125000"))
            #expect(clerk.json["casesUpdated"] as? Int == 1)
        }
    }
}

@Suite("Case exports as Excel on Chinese Windows writes them")
struct ImportEncodingTests {
    static func post(_ client: some TestClientProtocol, _ token: String, _ data: Data) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/v1/imports/cases", method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"], body: ByteBuffer(bytes: data))
    }

    @Test(arguments: TestEngine.available)
    func aGBKExportImportsLikeItsUTF8Twin(engine: TestEngine) async throws {
        try await withApp(engine, configure: { $0.maxBodyBytes = 1 << 20 }) { client, world in
            let director = try await world.token(.director)
            var sample = try ImportAPITests.sample
            if sample.hasPrefix("\u{FEFF}") { sample.removeFirst() }
            let gbk = TestSupport.encoded(sample, as: "GBK")
            let response = try await Self.post(client, director, gbk)
            #expect(response.status == .ok)
            #expect(response.json["format"] as? String == "GB18030（GBK）")
            #expect(response.json["casesCreated"] as? Int == 7 && response.json["rowsRejected"] as? Int == 2)
            let id = try await CaseAPITests.caseID(client, director, "（2023）赣0732执1022号")
            let detail = try await client.execute(uri: "/api/v1/cases/\(id)", method: .get, headers: bearer(director))
            #expect(detail.text.contains("陈某生"))
            // the same file in UTF-8 afterwards: every case unchanged (the names were read right)
            let again = try await Self.post(client, director, Data(sample.utf8))
            #expect(again.json["format"] as? String == "UTF-8" && again.json["unchanged"] as? Int == 7)
        }
    }

    @Test(arguments: TestEngine.available)
    func badFilesAreRefusedWithOneClearLine(engine: TestEngine) async throws {
        try await withApp(engine, configure: { $0.maxBodyBytes = 1 << 20 }) { client, world in
            let director = try await world.token(.director)
            // not text in any accepted encoding: the byte offset is named
            let binary = try await Self.post(client, director, TestSupport.encoded("案号,", as: "GBK") + Data([0x41, 0xFF, 0x00]))
            #expect(binary.status == .unsupportedMediaType && binary.errorCode == "undecodable_file")
            #expect(binary.text.contains("第 6 字节（0xFF）"))
            // a "header" of 9,979 columns: one error, not a warning per column
            let wide = (0..<9_979).map { "c\($0)" }.joined(separator: ",") + "\n"
            let refused = try await Self.post(client, director, Data(wide.utf8))
            #expect(refused.errorCode == "too_many_columns")
            #expect(refused.json["warnings"] == nil)
            // a row with more fields than the header: that row refused, with one line
            let lines = try ImportAPITests.sample.split(whereSeparator: \.isNewline)
            let shifted = ([String(lines[0]), String(lines[1]) + ",多出来的值,还有"] + lines[2...].map(String.init)).joined(separator: "\n")
            let report = try await Self.post(client, director, Data(shifted.utf8))
            let rejections = try #require(report.json["rejections"] as? [[String: Any]])
            #expect(rejections.filter { $0["row"] as? Int == 2 }.count == 1)
            #expect(rejections.contains { $0["row"] as? Int == 2 && ($0["reason"] as? String)?.contains("多于列名行的 21 列") == true })
            // no warning about the columns: those there name 承办人 who are no judge of this test court
            #expect((report.json["warnings"] as? [String])?.allSatisfy { $0.hasPrefix("承办人「") } == true, "\(report.json["warnings"] ?? "")")
        }
    }

    /// Issue 16 item 18: a dry run's `checkedImportId` commits the file without sending it again,
    /// for a day.
    @Test(arguments: TestEngine.available)
    func aDryRunIsCommittedByItsIdForADay(engine: TestEngine) async throws {
        let clock = Mutex(TestSupport.fixedNow)
        try await withApp(engine, now: { clock.withLock { $0 } }) { client, world in
            func dryRun() async throws -> String {
                let response = try await client.execute(
                    uri: "/api/v1/imports/cases?dryRun=true", method: .post,
                    headers: [.authorization: "Bearer \(try await world.token(.clerk))", .contentType: "text/csv"],
                    body: ByteBuffer(string: try ImportAPITests.sample))
                #expect(response.json["committed"] as? Bool == false)
                return try #require(response.json["checkedImportId"] as? String)
            }
            let first = try await dryRun()
            // all-or-nothing: refused whole, and kept to be fixed
            let refused = try await client.execute(
                uri: "/api/v1/imports/cases/checked/\(first)?allOrNothing=true", method: .post,
                headers: bearer(try await world.token(.clerk)))
            #expect(refused.json["committed"] as? Bool == false)
            let committed = try await client.execute(
                uri: "/api/v1/imports/cases/checked/\(first)", method: .post, headers: bearer(try await world.token(.clerk)))
            #expect(committed.status == .ok)
            #expect(committed.json["committed"] as? Bool == true)
            #expect(committed.json["casesCreated"] as? Int == 7)
            #expect(committed.json["checkedImportId"] == nil || committed.json["checkedImportId"] is NSNull)
            let twice = try await client.execute(
                uri: "/api/v1/imports/cases/checked/\(first)", method: .post, headers: bearer(try await world.token(.clerk)))
            #expect(twice.status == .notFound)
            // a day later the check is gone
            let second = try await dryRun()
            clock.withLock { $0 = $0.addingTimeInterval(25 * 3600) }
            let stale = try await client.execute(
                uri: "/api/v1/imports/cases/checked/\(second)", method: .post, headers: bearer(try await world.token(.clerk)))
            #expect(stale.status == .notFound)
            #expect(stale.errorCode == "not_found")
        }
    }
}

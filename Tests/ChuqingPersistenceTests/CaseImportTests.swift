import ChuqingDomain
import ChuqingPersistence
import ChuqingTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Importing a court's case export")
struct CaseImportTests {
    static let today = CalendarDate(year: 2026, month: 11, day: 29)!
    static var sample: [CSVReader.Record] {
        get throws {
            let text = try String(
                contentsOf: TestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures/sample-case-export.csv"), encoding: .utf8)
            return try CSVReader.records(text)
        }
    }

    static func importer(
        _ database: Database, _ records: [CSVReader.Record], options: CaseImportOptions = .init(),
        casesPerChunk: Int = 500
    ) async throws -> CaseImportReport {
        try await CaseImporter(database: database, casesPerChunk: casesPerChunk).run(
            records, options: options, actorID: nil, actorUsername: "test",
            now: TestSupport.fixedNow, today: today)
    }

    struct Count: Decodable { let n: Int }
    static func count(_ table: String, _ database: Database) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first(decoding: Count.self)!.n
    }

    @Test(arguments: TestEngine.available)
    func theSampleGivesExactlyTheRejectionsItWasBuiltFor(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            // act
            let report = try await Self.importer(database, try Self.sample)
            // check
            #expect(report.rowsRead == 11)
            #expect(report.casesCreated == 7)
            #expect(report.casesUpdated == 0)
            #expect(report.rowsRejected == 2)
            #expect(Set(report.rejections.map(\.row)) == [9, 12])
            let row9 = report.rejections.filter { $0.row == 9 }
            #expect(row9.count == 1)
            #expect(row9.first?.column == "证件号码")
            #expect(row9.first?.value == "360732198506302420")
            #expect(row9.first?.reason.contains("应为 6") == true)
            let row12 = Set(report.rejections.filter { $0.row == 12 }.map(\.column))
            #expect(row12.isSuperset(of: ["案号", "立案日期", "证件号码", "执行标的金额(元)"]))
            #expect(try await Self.count("enforcement_cases", database) == 7)
            #expect(try await Self.count("debtors", database) == 8)
        }
    }

    @Test(arguments: TestEngine.available)
    func importingTheSameFileTwiceChangesNothing(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            _ = try await Self.importer(database, try Self.sample)
            let historyBefore = try await Self.count("case_history", database)
            let again = try await Self.importer(database, try Self.sample)
            #expect(again.casesCreated == 0)
            #expect(again.casesUpdated == 0)
            #expect(again.unchanged == 7)
            #expect(try await Self.count("case_history", database) == historyBefore)
            #expect(try await Self.count("enforcement_cases", database) == 7)
        }
    }

    @Test(arguments: TestEngine.available)
    func valuesLandNormalised(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            _ = try await Self.importer(database, try Self.sample)
            struct Row: Decodable {
                let case_number: String
                let target_fen: Int64
                let imported_performed_fen: Int64
                let filed_on: String
                let status: String
            }
            let rows = try await database.sql.raw(
                "SELECT case_number, target_fen, imported_performed_fen, filed_on, status FROM enforcement_cases ORDER BY case_number"
            )
            .all(decoding: Row.self)
            let byNumber = Dictionary(uniqueKeysWithValues: rows.map { ($0.case_number, $0) })
            // half-width brackets and 2023/3/15 agree with the full-width row of the same case
            let twoDebtors = try #require(byNumber["（2023）赣0732执1023号"])
            #expect(twoDebtors.target_fen == 30_000_000)
            #expect(twoDebtors.imported_performed_fen == 5_000_050)  // 50000.5 元, exactly
            #expect(twoDebtors.filed_on == "2023-03-15")
            #expect(byNumber["（2004）兴法执字第00123号"]?.target_fen == 8_650_000)
            #expect(byNumber["（2023）赣0732执2050号"]?.status == "fullyEnforced")
            #expect(byNumber["（2024）赣0732执恢88号"]?.status == "inEnforcement")
            #expect(byNumber["（2023）赣0733执510号"] != nil)
            struct Link: Decodable { let n: Int }
            let debtorsOf1023 = try await database.sql.raw(
                """
                SELECT COUNT(*) AS n FROM case_debtors cd JOIN enforcement_cases c ON c.id = cd.case_id WHERE c.case_number = '（2023）赣0732执1023号'
                """
            ).first(decoding: Link.self)?.n
            #expect(debtorsOf1023 == 2)
            struct Official: Decodable {
                let is_public_official: Bool
                let employer: String?
                let id_number: String
            }
            let official = try await database.sql.raw("SELECT is_public_official, employer, id_number FROM debtors WHERE name = '温某平'")
                .first(decoding: Official.self)
            #expect(official?.is_public_official == true)
            #expect(official?.employer == "兴国县某乡人民政府")
            let withX = try await database.sql.raw("SELECT is_public_official, employer, id_number FROM debtors WHERE name = '钟某林'").first(
                decoding: Official.self)
            #expect(withX?.id_number == "36073219830415009X")
        }
    }

    /// A row of the sample's first case, renumbered, with some fields replaced (by position).
    static func row(_ number: Int, caseNumber: String, _ changes: [Int: String] = [:]) throws -> CSVReader.Record {
        var fields = try Self.sample[1].fields
        fields[0] = caseNumber
        for (index, value) in changes { fields[index] = value }
        return CSVReader.Record(row: number, fields: fields)
    }

    @Test(arguments: TestEngine.available)
    func anIDNumberHeldByAnotherNameIsRefusedNotMerged(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            // setup: 陈某生 (36073219780312131X) is the debtor of （2023）赣0732执1022号
            _ = try await Self.importer(database, try Self.sample)
            let header = try Self.sample[0]
            // act: the same ID typed under another name, in a new case and twice in one file
            let records = [
                header,
                try Self.row(2, caseNumber: "（2024）赣0732执7001号", [10: "陈某林"]),
                try Self.row(3, caseNumber: "（2024）赣0732执7002号", [10: "陈 某生"]),  // spacing only
                try Self.row(4, caseNumber: "（2024）赣0732执7003号", [10: "陈某生"]),
            ]
            let report = try await Self.importer(database, records)
            // check: row 2 refused, naming both names and the stored person's case
            #expect(report.rowsRejected == 1)
            let refusal = try #require(report.rejections.first)
            #expect(refusal.row == 2 && refusal.column == "证件号码" && refusal.value == "36073219780312131X")
            #expect(refusal.reason.contains("陈某生") && refusal.reason.contains("陈某林"))
            #expect(refusal.reason.contains("（2023）赣0732执1022号") && refusal.reason.contains("（2024）赣0732执7001号"))
            #expect(report.casesCreated == 2)
            struct Name: Decodable { let name: String }
            let names = try await database.sql.raw("SELECT name FROM debtors WHERE id_number = '36073219780312131X'").all(
                decoding: Name.self)
            #expect(names.map(\.name) == ["陈某生"])  // one person, the name not overwritten
            // the same file again settles: nothing updated
            let again = try await Self.importer(database, records)
            #expect(again.casesUpdated == 0 && again.unchanged == 2 && again.rowsRejected == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func twoNamesForOneIDInOneFileKeepTheFirst(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            let header = try Self.sample[0]
            let records = [
                header,
                try Self.row(2, caseNumber: "（2024）赣0732执7101号", [10: "ＡＢＣ商行"]),
                try Self.row(3, caseNumber: "（2024）赣0732执7102号", [10: "ABC 商行"]),  // full width and spacing
                try Self.row(4, caseNumber: "（2024）赣0732执7103号", [10: "刘某某"]),
            ]
            let report = try await Self.importer(database, records)
            #expect(report.casesCreated == 2)
            #expect(report.rejections.map(\.row) == [4])
            #expect(report.rejections.first?.reason.contains("（2024）赣0732执7101号") == true)
            #expect(PersonName.same("阿依古丽·买买提", "阿依古丽•买买提") && !PersonName.same("陈某生", "陈某林"))
        }
    }

    @Test(arguments: TestEngine.available)
    func aDateAfterTodayIsRefusedInTheImport(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            let header = try Self.sample[0]
            let records = [
                header,
                try Self.row(2, caseNumber: "（2024）赣0732执7201号", [5: "2026-12-05"]),  // closed after today
                try Self.row(3, caseNumber: "（2024）赣0732执7202号", [2: "2026-11-30"]),  // filed after today
                try Self.row(4, caseNumber: "（2024）赣0732执7203号", [5: "2026-11-29"]),
            ]  // closed today: fine
            let report = try await Self.importer(database, records)
            #expect(report.casesCreated == 1)
            let columns = Dictionary(report.rejections.map { ($0.row, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(columns[2]?.column == "结案日期" && columns[2]?.reason.contains("晚于今天（2026-11-29）") == true)
            #expect(report.rejections.contains { $0.row == 3 && $0.column == "立案日期" && $0.reason.contains("晚于今天") })
        }
    }

    @Test(arguments: TestEngine.available)
    func aLaterExportUpdatesTheCaseAndKeepsHistory(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            _ = try await Self.importer(database, try Self.sample)
            // setup: the case is now performed in part and handled by another judge
            var records = try Self.sample
            let row2 = records[1]
            var fields = row2.fields
            fields[3] = "王某"  // 承办人
            fields[18] = "20,000"  // 已履行金额(元)
            records = [records[0], CSVReader.Record(row: 2, fields: fields)]
            // act
            let report = try await Self.importer(database, records)
            // check
            #expect(report.casesUpdated == 1)
            struct Row: Decodable {
                let imported_performed_fen: Int64
                let judge_name: String?
            }
            let row = try await database.sql.raw(
                "SELECT imported_performed_fen, judge_name FROM enforcement_cases WHERE case_number = '（2023）赣0732执1022号'"
            )
            .first(decoding: Row.self)
            #expect(row?.imported_performed_fen == 2_000_000)
            #expect(row?.judge_name == "王某")
            struct History: Decodable {
                let event: String
                let detail: String
            }
            let history = try await database.sql.raw(
                """
                SELECT h.event, h.detail FROM case_history h JOIN enforcement_cases c ON c.id = h.case_id
                WHERE c.case_number = '（2023）赣0732执1022号' ORDER BY h.occurred_at, h.event
                """
            ).all(decoding: History.self)
            #expect(history.map(\.event).sorted() == ["import_update", "imported"])
            #expect(history.first { $0.event == "import_update" }?.detail.contains("承办人：张某 → 王某") == true)
        }
    }

    /// Cases 执5000…执5008 alternate between the sample's one-debtor case (rows 2) and its
    /// two-debtor case (rows 3–4), so the same debtors recur in many cases.
    static func recurringDebtors(changingAddressOfLastTo address: String? = nil) throws -> [CSVReader.Record] {
        let sample = try Self.sample
        var records = [sample[0]]
        var row = 2
        for index in 0..<9 {
            for source in index.isMultiple(of: 2) ? [sample[1]] : [sample[2], sample[3]] {
                var fields = source.fields
                fields[0] = "（2023）赣0732执\(5000 + index)号"
                if index == 8, let address { fields[14] = address }
                records.append(CSVReader.Record(row: row, fields: fields))
                row += 1
            }
        }
        return records
    }

    @Test(arguments: TestEngine.available)
    func chunksGiveWhatCaseByCaseWritingGives(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            // act: chunks of 2 cases, so debtors recur within a chunk and across chunks
            let first = try await Self.importer(database, try Self.recurringDebtors(), casesPerChunk: 2)
            // check
            #expect(first.casesCreated == 9)
            #expect(try await Self.count("debtors", database) == 3)
            #expect(try await Self.count("judgments", database) == 2)
            #expect(try await Self.count("case_debtors", database) == 5 * 1 + 4 * 2)
            #expect(try await Self.count("case_history", database) == 9)
            struct Link: Decodable {
                let case_number: String
                let position: Int
                let id_number: String
            }
            let links = try await database.sql.raw(
                """
                SELECT c.case_number, l.position, d.id_number FROM case_debtors l
                JOIN enforcement_cases c ON c.id = l.case_id JOIN debtors d ON d.id = l.debtor_id
                WHERE c.case_number = \(bind: "（2023）赣0732执5001号") ORDER BY l.position
                """
            ).all(decoding: Link.self)
            #expect(links.map(\.position) == [0, 1])
            #expect(links.map(\.id_number) == ["91360732MA35C2Q11A", "360732198506302426"])

            // act: the same rows in other chunks change nothing
            let again = try await Self.importer(database, try Self.recurringDebtors(), casesPerChunk: 4)
            #expect(again.unchanged == 9)
            #expect(try await Self.count("case_history", database) == 9)

            // act: the last case moves a debtor shared with four other cases
            let moved = try await Self.importer(database, try Self.recurringDebtors(changingAddressOfLastTo: "兴国县古龙岗镇新街"), casesPerChunk: 3)
            #expect(moved.casesUpdated == 1)
            #expect(moved.unchanged == 8)
            struct Debtor: Decodable { let address: String? }
            let debtor = try await database.sql.raw("SELECT address FROM debtors WHERE id_number = \(bind: "36073219780312131X")")
                .first(decoding: Debtor.self)
            #expect(debtor?.address == "兴国县古龙岗镇新街")
        }
    }

    @Test(arguments: TestEngine.available)
    func allOrNothingWritesNothingWhenARowIsRejected(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            let report = try await Self.importer(database, try Self.sample, options: .init(allOrNothing: true))
            #expect(!report.committed)
            #expect(report.rowsRejected == 2)
            #expect(try await Self.count("enforcement_cases", database) == 0)
        }
    }

    @Test(arguments: TestEngine.available)
    func aDryRunCountsButWritesNothing(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            let report = try await Self.importer(database, try Self.sample, options: .init(dryRun: true))
            #expect(report.casesCreated == 7)
            #expect(!report.committed)
            #expect(try await Self.count("enforcement_cases", database) == 0)
            #expect(try await Self.count("judgments", database) == 0)
        }
    }

    @Test(arguments: TestEngine.available)
    func aRowThatDisagreesWithItsCaseIsReportedNotMerged(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            var records = try Self.sample
            var fields = records[3].fields  // second row of 执1023
            fields[17] = "310000"  // another target amount
            records = [records[0], records[2], CSVReader.Record(row: 4, fields: fields)]
            let report = try await Self.importer(database, records)
            #expect(report.casesCreated == 1)
            #expect(report.rowsRejected == 1)
            #expect(report.rejections.first?.column == "执行标的金额(元)")
            #expect(report.rejections.first?.reason.contains("第 3 行") == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func aMissingRequiredColumnRefusesTheWholeFile(engine: TestEngine) async throws {
        try await engine.withDatabase { database in
            let records = try Self.sample.map { CSVReader.Record(row: $0.row, fields: Array($0.fields.dropFirst())) }  // no 案号
            do {
                _ = try await Self.importer(database, records)
                Issue.record("a file without 案号 was imported")
            } catch let error as DomainError {
                #expect(error.code == "missing_columns")
                #expect(error.message.contains("案号"))
            }
            #expect(try await Self.count("enforcement_cases", database) == 0)
        }
    }
}

@Suite("CSV (RFC 4180)")
struct CSVReaderTests {
    @Test
    func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text = "\u{FEFF}a,b,c\r\n\"1,000\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nx,,z\n\n"
        let records = try CSVReader.records(text)
        #expect(
            records == [
                .init(row: 1, fields: ["a", "b", "c"]),
                .init(row: 2, fields: ["1,000", "say \"hi\"", "two\nlines"]),
                .init(row: 3, fields: ["x", "", "z"]),
            ])
    }

    /// Issue 16 item 21: a quoted line break does not shift later rows; a blank line is a row.
    @Test
    func rowsAreTheSpreadsheetsRows() throws {
        let text = "h\n\"one\ntwo\nthree\"\n\nlast\n"
        #expect(try CSVReader.records(text).map(\.row) == [1, 2, 4])
        #expect(throws: CSVReader.UnterminatedQuote(row: 3)) { try CSVReader.records("h\n\"a\nb\"\n\"c\nd") }
    }

    @Test
    func anUnclosedQuoteIsAnError() {
        #expect(throws: CSVReader.UnterminatedQuote.self) { try CSVReader.records("a,\"b\nc") }
    }
}

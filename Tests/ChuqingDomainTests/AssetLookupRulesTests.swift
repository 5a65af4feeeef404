import ChuqingDomain
import Foundation
import Testing

@Suite("Asset look-ups: the catalogue, requests, answers and the six-monthly checks")
struct AssetLookupRulesTests {
    let catalogue = [
        DataCategory(code: "realEstate", name: "不动产登记", department: "不动产登记中心", channel: .pointToPoint, connector: .exchange, position: 1),
        DataCategory(code: "bankDeposits", name: "银行存款", department: "各银行", channel: .national, connector: .exchange, position: 2),
        DataCategory(
            code: "securities", name: "证券", department: "中国结算", channel: .national, connector: .exchange, isEnabled: false, position: 3),
    ]

    @Test func aRequestNamesKnownEnabledCategoriesOrTakesThemAll() throws {
        #expect(
            try AssetLookup.Request(categories: nil, legalBasis: " 财产调查规定 ", catalogue: catalogue).categories == [
                "realEstate", "bankDeposits",
            ])
        #expect(try AssetLookup.Request(categories: [], legalBasis: "x", catalogue: catalogue).legalBasis == "x")
        #expect(
            try AssetLookup.Request(categories: ["bankDeposits", "bankDeposits"], legalBasis: "x", catalogue: catalogue).categories == [
                "bankDeposits"
            ])
        func code(_ categories: [String]?, _ basis: String = "x") -> String? {
            do {
                _ = try AssetLookup.Request(categories: categories, legalBasis: basis, catalogue: catalogue)
                return nil
            } catch { return error.code }
        }
        #expect(code(["gold"]) == "unknown_category")
        #expect(code(["securities"]) == "category_disabled")
        #expect(code(nil, "  ") == "legal_basis_required")
        #expect(code(nil, String(repeating: "法", count: 201)) == "field_too_long")
        #expect(throws: DomainError.self) { try AssetLookup.Request(categories: nil, legalBasis: "x", catalogue: [self.catalogue[2]]) }
    }

    @Test func anAnswerIsFindingsOrAFailureWithItsReason() throws {
        func parse(_ text: String) -> Result<[AssetFinding], ExchangeAnswer.Invalid> {
            Result { () throws(ExchangeAnswer.Invalid) in try ExchangeAnswer.findings(Data(text.utf8)) }
        }
        #expect(try parse(#"{"findings": []}"#).get().isEmpty)  // nothing found
        let found = try parse(
            #"{"findings": [{"kind": "vehicle", "description": " 小型客车 ", "identifier": "赣B12345", "valueFen": 8000000, "holder": "钟某林"}]}"#
        ).get()
        #expect(found == [AssetFinding(kind: .vehicle, description: "小型客车", identifier: "赣B12345", valueFen: 8_000_000, holder: "钟某林")])
        func reason(_ text: String) -> String? {
            if case .failure(let error) = parse(text) { return error.reason }
            return nil
        }
        #expect(reason("<!DOCTYPE html><html><body>503</body></html>")?.hasPrefix("答复是网页而不是数据") == true)
        #expect(reason("") == "答复为空")
        #expect(reason(#"{"findings": [{"kind""#)?.hasPrefix("答复不是 JSON 对象") == true)
        #expect(reason(#"{"rows": []}"#) == "答复中没有 findings 列表")
        #expect(reason(#"{"findings": [{"kind": "gold", "description": "x"}]}"#)?.contains("gold") == true)
        #expect(reason(#"{"findings": [{"kind": "vehicle"}]}"#) == "第 1 项缺少 description")
        #expect(reason(#"{"findings": [{"kind": "deposit", "description": "x", "valueFen": -1}]}"#)?.contains("非负整数") == true)
        #expect(reason(#"{"findings": [{"kind": "deposit", "description": "x", "valueFen": 12.5}]}"#)?.contains("非负整数") == true)
    }

    @Test func periodicLookUpsFallDueEverySixMonthsForFiveYears() {
        let terminated = d("2022-03-31")
        #expect(PeriodicLookups.nextDue(terminatedOn: terminated, lastLookupOn: nil) == d("2022-09-30"))  // month end kept
        #expect(PeriodicLookups.nextDue(terminatedOn: terminated, lastLookupOn: d("2023-01-15")) == d("2023-07-15"))
        // a look-up from before the termination does not count
        #expect(PeriodicLookups.nextDue(terminatedOn: terminated, lastLookupOn: d("2021-12-01")) == d("2022-09-30"))
        // the last one, within the five years
        #expect(PeriodicLookups.nextDue(terminatedOn: terminated, lastLookupOn: d("2026-09-30")) == d("2027-03-30"))
        #expect(PeriodicLookups.nextDue(terminatedOn: terminated, lastLookupOn: d("2026-10-01")) == nil)  // the five years have run out
    }

    @Test func noAssetsAfterLookUpsNeedsTwoEmptyLookUpsAndNoValidLead() {
        #expect(DeletionTrigger.noAssetsRefusal(caseStatus: .terminatedThisRound, lookupsFindingNothing: 2, validLeads: 0) == nil)
        #expect(
            DeletionTrigger.noAssetsRefusal(caseStatus: .terminatedThisRound, lookupsFindingNothing: 1, validLeads: 0)?.contains("只有 1 次")
                == true)
        #expect(
            DeletionTrigger.noAssetsRefusal(caseStatus: .terminatedThisRound, lookupsFindingNothing: 3, validLeads: 1)?.contains("线索")
                == true)
        #expect(
            DeletionTrigger.noAssetsRefusal(caseStatus: .inEnforcement, lookupsFindingNothing: 5, validLeads: 0)?.contains("执行中") == true)
    }

    @Test func onlyACaseStillEnforcedIsLookedUp() {
        #expect(throws: Never.self) { try AssetLookup.checkCaseOpen(.inEnforcement, caseNumber: "x") }
        #expect(throws: Never.self) { try AssetLookup.checkCaseOpen(.terminatedThisRound, caseNumber: "x") }
        for status in [CaseStatus.fullyEnforced, .terminated, .refused, .rejected, .withdrawn] {
            #expect(throws: DomainError.self) { try AssetLookup.checkCaseOpen(status, caseNumber: "x") }
        }
    }

    @Test func aCategoryIsCheckedWithTheRule() {
        func code(_ category: DataCategory) -> String? {
            do {
                try category.validate()
                return nil
            } catch { return error.code }
        }
        let good = catalogue[0]
        #expect(code(good) == nil)
        var bad = good
        bad.timeoutMilliseconds = 50
        #expect(code(bad) == "invalid_timeout")
        bad = good
        bad.retries = 9
        #expect(code(bad) == "invalid_retries")
        #expect(
            code(DataCategory(code: "Real estate", name: "x", department: "y", channel: .manual, connector: .snapshot))
                == "invalid_category_code")
        #expect(
            code(DataCategory(code: "x1", name: " ", department: "y", channel: .manual, connector: .snapshot)) == "invalid_category_name")
    }

    @Test func anExtractIsReadByItsHeadingsAndRefusedWholeWithEveryBadRow() throws {
        let today = CalendarDate(year: 2026, month: 3, day: 2)!
        func records(_ lines: [String]) -> [(row: Int, fields: [String])] {
            lines.enumerated().map { ($0.offset + 1, $0.element.components(separatedBy: ",")) }
        }
        let rows = try SnapshotExtract.rows(
            records([
                "权利人,财产种类,证件号码,姓名或名称,描述,价值（元）,标识",
                "钟某林,realEstate,36073219830415009x,钟某林,住宅,120000.5,赣（2020）兴国县不动产权第1号",
                ",,,,,,",
                ",车辆,360732780312131,陈某生,小型客车,,赣B12345",
            ]), today: today)
        #expect(rows.count == 2)
        #expect(
            rows[0].line == 2 && rows[0].idNumber == "36073219830415009X" && rows[0].finding.valueFen == 12_000_050
                && rows[0].finding.holder == "钟某林" && rows[0].finding.kind == .realEstate)
        // a 15-digit ID is stored as its 18-character form, as debtors' IDs are
        #expect(rows[1].idNumber == "36073219780312131X" && rows[1].finding.kind == .vehicle && rows[1].finding.holder == nil)
        func refusal(_ lines: [String]) -> DomainError? {
            do {
                _ = try SnapshotExtract.rows(records(lines), today: today)
                return nil
            } catch { return error }
        }
        #expect(refusal([])?.code == "empty_extract")
        #expect(refusal(["idNumber,name,kind"])?.code == "missing_extract_column")
        #expect(refusal(["idNumber,name,kind,description,idNumber"])?.code == "duplicate_extract_column")
        let bad = refusal(["idNumber,name,kind,description,valueYuan"] + (1...25).map { _ in "36073219830415009X,钟某林,不动产,住宅,-1" })
        #expect(bad?.code == "invalid_extract")
        #expect(bad?.message.contains("有 25 行有误") == true && bad?.message.contains("另有 5 行有误") == true)
        // a birth date after today, a wrong check character, an unknown kind, an empty description
        for line in [
            "36073220990415009X,x,不动产,住宅", "360732198304150091,x,不动产,住宅", "36073219830415009X,x,金条,住宅", "36073219830415009X,x,不动产,",
        ] {
            #expect(refusal(["idNumber,name,kind,description", line])?.code == "invalid_extract", "\(line)")
        }
    }

    @Test func aMeasureOnAFindingMustFitWhatWasFound() throws {
        let filed = CalendarDate(year: 2022, month: 5, day: 1)!
        let today = CalendarDate(year: 2026, month: 3, day: 2)!
        let found = CalendarDate(year: 2026, month: 2, day: 1)!
        func measure(_ kind: MeasureKind, on day: CalendarDate = today) throws -> Measure {
            try Measure(
                kind: kind, on: day, persons: nil, count: nil, amountFen: nil, documentNumber: "（2022）赣0732执3301号之三", filedOn: filed,
                today: today)
        }
        func code(_ kind: MeasureKind, _ finding: AssetFinding.Kind, on day: CalendarDate = CalendarDate(year: 2026, month: 3, day: 2)!)
            -> String?
        {
            do {
                try FindingMeasures.check(try measure(kind, on: day), on: finding, foundOn: found)
                return nil
            } catch { return (error as? DomainError)?.code }
        }
        #expect(code(.sealing, .realEstate) == nil)
        #expect(code(.freezing, .realEstate) == "measure_not_for_finding")
        #expect(code(.vehicleSeizure, .vehicle) == nil && code(.sealing, .vehicle) == nil)
        #expect(
            code(.freezing, .deposit) == nil && code(.deduction, .deposit) == nil && code(.sealing, .deposit) == "measure_not_for_finding")
        #expect(code(.freezing, .equity) == nil && code(.deduction, .equity) == "measure_not_for_finding")
        #expect(code(.deduction, .salary) == nil)
        for information in [AssetFinding.Kind.marriage, .residence, .employer, .taxRecord, .utilityAccount, .business] {
            #expect(code(.sealing, information) == "finding_not_an_asset")
            #expect(!FindingMeasures.isProperty(information))
        }
        #expect(code(.sealing, .realEstate, on: CalendarDate(year: 2026, month: 1, day: 31)!) == "date_before_finding")
        #expect(code(.sealing, .realEstate, on: found) == nil)
        // the issue's verbs name the same kinds
        #expect(
            try MeasureKind.parse("seal") == .sealing && MeasureKind.parse("seize") == .vehicleSeizure
                && MeasureKind.parse("扣押") == .vehicleSeizure)
        #expect(try MeasureKind.parse("freeze") == .freezing && MeasureKind.parse("deduct") == .deduction)
    }
}

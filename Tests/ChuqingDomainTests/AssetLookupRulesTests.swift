import ChuqingDomain
import Foundation
import Testing

@Suite("Asset look-ups: the catalogue, requests, answers and the six-monthly checks")
struct AssetLookupRulesTests {
    let catalogue = [
        DataCategory(code: "realEstate", name: "不动产登记", department: "不动产登记中心", channel: .pointToPoint, connector: .exchange, position: 1),
        DataCategory(code: "bankDeposits", name: "银行存款", department: "各银行", channel: .national, connector: .exchange, position: 2),
        DataCategory(code: "securities", name: "证券", department: "中国结算", channel: .national, connector: .exchange, isEnabled: false, position: 3),
    ]

    @Test func aRequestNamesKnownEnabledCategoriesOrTakesThemAll() throws {
        #expect(try AssetLookup.Request(categories: nil, legalBasis: " 财产调查规定 ", catalogue: catalogue).categories == ["realEstate", "bankDeposits"])
        #expect(try AssetLookup.Request(categories: [], legalBasis: "x", catalogue: catalogue).legalBasis == "x")
        #expect(try AssetLookup.Request(categories: ["bankDeposits", "bankDeposits"], legalBasis: "x", catalogue: catalogue).categories == ["bankDeposits"])
        func code(_ categories: [String]?, _ basis: String = "x") -> String? {
            do { _ = try AssetLookup.Request(categories: categories, legalBasis: basis, catalogue: catalogue); return nil } catch { return error.code }
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
        let found = try parse(#"{"findings": [{"kind": "vehicle", "description": " 小型客车 ", "identifier": "赣B12345", "valueFen": 8000000, "holder": "钟某林"}]}"#).get()
        #expect(found == [AssetFinding(kind: .vehicle, description: "小型客车", identifier: "赣B12345", valueFen: 8_000_000, holder: "钟某林")])
        func reason(_ text: String) -> String? { if case .failure(let error) = parse(text) { return error.reason }; return nil }
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
        #expect(PeriodicLookups.nextDue(terminatedOn: terminated, lastLookupOn: d("2026-09-30")) == d("2027-03-30"))  // the last one, within the five years
        #expect(PeriodicLookups.nextDue(terminatedOn: terminated, lastLookupOn: d("2026-10-01")) == nil)  // the five years have run out
    }

    @Test func noAssetsAfterLookUpsNeedsTwoEmptyLookUpsAndNoValidLead() {
        #expect(DeletionTrigger.noAssetsRefusal(caseStatus: .terminatedThisRound, lookupsFindingNothing: 2, validLeads: 0) == nil)
        #expect(DeletionTrigger.noAssetsRefusal(caseStatus: .terminatedThisRound, lookupsFindingNothing: 1, validLeads: 0)?.contains("只有 1 次") == true)
        #expect(DeletionTrigger.noAssetsRefusal(caseStatus: .terminatedThisRound, lookupsFindingNothing: 3, validLeads: 1)?.contains("线索") == true)
        #expect(DeletionTrigger.noAssetsRefusal(caseStatus: .inEnforcement, lookupsFindingNothing: 5, validLeads: 0)?.contains("执行中") == true)
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
            do { try category.validate(); return nil } catch { return error.code }
        }
        let good = catalogue[0]
        #expect(code(good) == nil)
        var bad = good
        bad.timeoutMilliseconds = 50
        #expect(code(bad) == "invalid_timeout")
        bad = good
        bad.retries = 9
        #expect(code(bad) == "invalid_retries")
        #expect(code(DataCategory(code: "Real estate", name: "x", department: "y", channel: .manual, connector: .snapshot)) == "invalid_category_code")
        #expect(code(DataCategory(code: "x1", name: " ", department: "y", channel: .manual, connector: .snapshot)) == "invalid_category_name")
    }
}

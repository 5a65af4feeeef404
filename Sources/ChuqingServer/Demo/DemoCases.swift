import ChuqingDomain
import ChuqingPersistence
import Foundation

/// A realistic 兴国县 campaign for the demo: about 400 终本 cases across the 25 townships, filed
/// from 20 years ago to a few months ago, persons with valid IDs (region 360732), organisations
/// with valid credit codes, some public officials, payments, and debtors in more than one case.
///
/// Deterministic from the seed: the same seed gives the same file. The rows go through the same
/// importer as a court's own export, so demo data obeys every rule real data does.
public enum DemoCases {
    /// The judges the demo cases are assigned to (承办人); the first is the demo judge login.
    public static let judges = ["李法官", "张法官", "王法官", "刘法官", "钟法官"]

    /// The last day a demo case is filed on, unless the demo is loaded earlier than that.
    public static let lastFiling = CalendarDate(year: 2026, month: 8, day: 31)!

    /// The export rows (header first) for `count` cases, none filed or closed after `lastFiling`
    /// (pass today, or earlier: nothing in an export has happened after the day it is read).
    public static func records(count: Int = 400, seed: UInt64 = 20_260_913, until lastFiling: CalendarDate = Self.lastFiling) -> [CSVReader
        .Record]
    {
        var random = SplitMix64(seed: seed)
        let header = CaseExportColumn.allCases.map(\.rawValue)
        var records = [CSVReader.Record(row: 1, fields: header)]
        let townships = [
            "潋江镇", "江背镇", "古龙岗镇", "梅窖镇", "高兴镇", "良村镇", "龙口镇", "城岗镇", "兴江乡", "樟木乡", "东村乡", "兴莲乡",
            "杰村乡", "社富乡", "埠头乡", "永丰乡", "隆坪乡", "均村乡", "茶园乡", "崇贤乡", "枫边乡", "南坑乡", "方太乡", "鼎龙乡", "长冈乡",
        ]
        let surnames = Array("陈钟刘黄曾谢李王张肖邱温胡廖罗赖郭何朱袁")
        let given = Array("生华林强平根英明军兰发福春秀金国荣才红贵")
        let duties = ["偿还借款本金及利息", "支付货款", "支付工程款", "支付劳动报酬", "赔偿损失", "支付租金", "返还购房款", "支付抚养费"]
        var sequenceByYear: [Int: Int] = [:]
        var reusable: [[String]] = []  // debtor columns of earlier cases, for debtors in several cases
        var row = 1

        for index in 0..<count {
            // Ages from a few months to 20 years: more recent years are more common.
            let age = Int(random.next(upTo: 240) * random.next(upTo: 240) / 240) + 1  // months, skewed young
            let filed = lastFiling.adding(months: -age).adding(days: -Int(random.next(upTo: 28)))
            let year = filed.year
            sequenceByYear[year, default: 0] += 1 + Int(random.next(upTo: 7))
            let sequence = sequenceByYear[year]!
            let caseNumber =
                year < 2016
                ? "（\(year)）兴法执字第\(String(sequence).leftPadded(5))号"
                : "（\(year)）赣0732执\(sequence)号"
            let statusRoll = random.next(upTo: 100)
            let status: CaseStatus = statusRoll < 88 ? .terminatedThisRound : (statusRoll < 94 ? .inEnforcement : .fullyEnforced)
            let closed = status == .inEnforcement ? nil : min(filed.adding(months: 4 + Int(random.next(upTo: 14))), lastFiling)
            let target = Int64(5_000 + random.next(upTo: 400) * random.next(upTo: 5_000))  // yuan
            let performed: Int64 =
                switch status {
                case .fullyEnforced: target
                default: random.next(upTo: 100) < 20 ? target * Int64(random.next(upTo: 60)) / 100 : 0
                }
            let township = townships[Int(random.next(upTo: UInt64(townships.count)))]
            let judge = judges[index % judges.count]
            let basisYear = max(year - 1, 2004)
            let basis = basisYear < 2016 ? "（\(basisYear)）兴民初字第\(100 + index)号" : "（\(basisYear)）赣0732民初\(100 + index)号"
            let applicant =
                "\(surnames[Int(random.next(upTo: UInt64(surnames.count)))])某\(given[Int(random.next(upTo: UInt64(given.count)))])"

            var debtorColumns: [String]
            if !reusable.isEmpty && random.next(upTo: 100) < 8 {
                // The same debtor in another case.
                debtorColumns = reusable[Int(random.next(upTo: UInt64(reusable.count)))]
            } else if random.next(upTo: 100) < 15 {
                let name = "兴国县\(["某建材", "某置业", "某商贸", "某农业", "某服装"][Int(random.next(upTo: 5))])有限公司\(index)"
                let code = creditCode(&random)
                let representative =
                    "\(surnames[Int(random.next(upTo: UInt64(surnames.count)))])某\(given[Int(random.next(upTo: UInt64(given.count)))])"
                debtorColumns = [name, "法人", code, representative, "兴国县\(township)", township, "", "否", ""]
            } else {
                let name =
                    "\(surnames[Int(random.next(upTo: UInt64(surnames.count)))])某\(given[Int(random.next(upTo: UInt64(given.count)))])"
                let official = random.next(upTo: 100) < 5
                debtorColumns = [
                    name, "自然人", citizenID(&random, bornBefore: filed), "",
                    "兴国县\(township)\(["上", "下", "中", "新"][Int(random.next(upTo: 4))])村",
                    township, "1\(3 + random.next(upTo: 6))\(String(random.next(upTo: 1_000_000_000)).leftPadded(9))",
                    official ? "是" : "否", official ? "兴国县\(township)人民政府" : "",
                ]
                if reusable.count < 40 { reusable.append(debtorColumns) }
            }
            row += 1
            let fields: [String] =
                [
                    caseNumber, "兴国县人民法院", filed.description, judge, status.chinese, closed?.description ?? "",
                    basis, "兴国县人民法院", duties[Int(random.next(upTo: UInt64(duties.count)))], applicant,
                ] + debtorColumns.prefix(2) + [
                    debtorColumns[2], debtorColumns[3], debtorColumns[4], debtorColumns[5], debtorColumns[6],
                    String(target), String(performed), debtorColumns[7], debtorColumns[8],
                ]
            records.append(CSVReader.Record(row: row, fields: fields))
        }
        return records
    }

    /// A valid 18-digit ID of 兴国县 (360732), born 1950–2000 and before the filing date.
    static func citizenID(_ random: inout SplitMix64, bornBefore: CalendarDate) -> String {
        let birth = CalendarDate(
            year: 1950 + Int(random.next(upTo: 50)), month: 1 + Int(random.next(upTo: 12)), day: 1 + Int(random.next(upTo: 28)))!
        let body = "360732" + birth.description.replacingOccurrences(of: "-", with: "") + String(random.next(upTo: 1000)).leftPadded(3)
        return body + String(CitizenID.checkCharacter(for: body))
    }

    /// A valid credit code of a 兴国县 enterprise (91 360732 …), with a valid embedded
    /// organisation code (GB 11714) and check character (GB 32100).
    static func creditCode(_ random: inout SplitMix64) -> String {
        let organization = String((0..<8).map { _ in Character(String(random.next(upTo: 10))) })
        let body = "91360732" + organization + String(OrganizationCode.checkCharacter(for: organization)!)
        return body + String(CreditCode.checkCharacter(for: body))
    }
}

/// A small, fast, deterministic generator (SplitMix64), so demo data is the same on every machine.
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<bound.
    public mutating func next(upTo bound: UInt64) -> UInt64 { next() % bound }
}

import Foundation

/// The columns of a court's case export (shared/formats/case-export.md), by their Chinese names.
public enum CaseExportColumn: String, CaseIterable, Sendable, Codable {
    case caseNumber = "案号"
    case court = "执行法院"
    case filedOn = "立案日期"
    case judge = "承办人"
    case status = "案件状态"
    case closedOn = "结案日期"
    case basisNumber = "执行依据文号"
    case basisIssuer = "做出执行依据单位"
    case duty = "生效法律文书确定的义务"
    case applicants = "申请执行人"
    case debtorName = "被执行人"
    case debtorKind = "被执行人类型"
    case idNumber = "证件号码"
    case legalRepresentative = "法定代表人"
    case address = "住所地"
    case township = "所属乡镇"
    case phone = "联系电话"
    case target = "执行标的金额(元)"
    case performed = "已履行金额(元)"
    case publicOfficial = "是否公职人员"
    case employer = "工作单位"

    /// Columns without which the file is refused whole.
    public var isRequired: Bool {
        switch self {
        case .caseNumber, .court, .filedOn, .status, .basisNumber, .basisIssuer, .applicants, .debtorName,
            .debtorKind, .idNumber, .target:
            true
        default: false
        }
    }

    /// Columns that describe the case (repeated on each debtor's row, and must agree).
    static let caseColumns: [CaseExportColumn] = [
        .caseNumber, .court, .filedOn, .judge, .status, .closedOn, .basisNumber,
        .basisIssuer, .duty, .applicants, .target, .performed,
    ]
}

/// A header row mapped to columns.
public struct CaseExportHeader: Sendable {
    /// Position of each known column.
    public let positions: [CaseExportColumn: Int]
    /// Header names that are not columns Chuqing knows (reported once, then ignored).
    public let unknownColumns: [String]

    /// Maps header names (any order; full-width parentheses accepted). A missing required column
    /// refuses the whole file before any row lands.
    /// More columns than any export has: such a "header" is a data row, or a file that is not an
    /// export at all, and is refused with one line instead of a warning per column.
    public static let maxColumns = 200

    public init(_ names: [String]) throws(DomainError) {
        guard names.count <= Self.maxColumns else {
            throw DomainError(
                code: "too_many_columns",
                message: "列名行有 \(names.count) 列，超过 \(Self.maxColumns) 列上限：第一行应为案件导出表的列名（案号、执行法院……），整个文件未导入",
                field: "header")
        }
        var positions: [CaseExportColumn: Int] = [:]
        var unknown: [String] = []
        for (index, raw) in names.enumerated() {
            let name = raw.trimmed
                .replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
            if let column = CaseExportColumn(rawValue: name) {
                if positions[column] == nil { positions[column] = index }
            } else if !name.isEmpty {
                unknown.append(raw)
            }
        }
        let missing = CaseExportColumn.allCases.filter { $0.isRequired && positions[$0] == nil }
        guard missing.isEmpty else {
            throw DomainError(
                code: "missing_columns",
                message: "文件缺少必需的列：\(missing.map(\.rawValue).joined(separator: "、"))；整个文件未导入", field: "header")
        }
        self.positions = positions
        self.unknownColumns = unknown
    }
}

/// One rejected value of an import, as the report shows it.
public struct ImportRejection: Sendable, Equatable, Codable {
    /// The file's row number (the header is row 1).
    public let row: Int
    /// The column's Chinese name.
    public let column: String
    /// The value as given.
    public let value: String
    /// What is wrong and what is accepted.
    public let reason: String

    public init(row: Int, column: String, value: String, reason: String) {
        self.row = row
        self.column = column
        self.value = value
        self.reason = reason
    }
}

/// Every problem of one row.
public struct RowRejected: Error, Sendable, Equatable {
    public let rejections: [ImportRejection]
}

/// Master data the rows are checked against.
public struct CaseImportReferences: Sendable {
    /// The courts Chuqing knows; the export names a court by its full name.
    public let courts: [Court]
    /// The county's townships, by code or full name.
    public let townships: TownshipDirectory
    /// Today, for birth dates in IDs and dates that must have happened.
    public let today: CalendarDate

    public init(courts: [Court], townships: TownshipDirectory, today: CalendarDate) {
        self.courts = courts
        self.townships = townships
        self.today = today
    }

    /// The court with this full name (兴国县人民法院) or code (赣0732).
    func court(named name: String) -> Court? {
        courts.first { $0.name == name } ?? courts.first { $0.code == name }
    }
}

/// A debtor as one row describes it.
public struct ImportedDebtor: Sendable, Equatable {
    public let kind: DebtorKind
    public let name: String
    public let identifier: DebtorIdentifier
    public let legalRepresentative: String?
    public let address: String?
    public let townshipCode: String?
    public let phone: String?
    public let isPublicOfficial: Bool
    public let employer: String?

    public init(
        kind: DebtorKind, name: String, identifier: DebtorIdentifier, legalRepresentative: String?, address: String?,
        townshipCode: String?, phone: String?, isPublicOfficial: Bool, employer: String?
    ) {
        self.kind = kind
        self.name = name
        self.identifier = identifier
        self.legalRepresentative = legalRepresentative
        self.address = address
        self.townshipCode = townshipCode
        self.phone = phone
        self.isPublicOfficial = isPublicOfficial
        self.employer = employer
    }
}

/// The case columns of a row, normalised, so two rows of one case can be compared.
public struct ImportedCase: Sendable, Equatable {
    public let caseNumber: CaseNumber
    public let courtCode: String
    public let filedOn: CalendarDate
    public let judgeName: String?
    public let status: CaseStatus
    public let closedOn: CalendarDate?
    /// The basis document's number: canonical when it parses as a case number, else as given
    /// (an arbitration award's number).
    public let basisNumber: String
    public let basisIssuer: String
    public let duty: String?
    public let applicants: [String]
    public let target: Money
    public let performed: Money

    public init(
        caseNumber: CaseNumber, courtCode: String, filedOn: CalendarDate, judgeName: String?, status: CaseStatus,
        closedOn: CalendarDate?, basisNumber: String, basisIssuer: String, duty: String?, applicants: [String],
        target: Money, performed: Money
    ) {
        self.caseNumber = caseNumber
        self.courtCode = courtCode
        self.filedOn = filedOn
        self.judgeName = judgeName
        self.status = status
        self.closedOn = closedOn
        self.basisNumber = basisNumber
        self.basisIssuer = basisIssuer
        self.duty = duty
        self.applicants = applicants
        self.target = target
        self.performed = performed
    }
}

/// A row that passed every check.
public struct ImportedRow: Sendable, Equatable {
    public let row: Int
    public let caseFields: ImportedCase
    public let debtor: ImportedDebtor

    public init(row: Int, caseFields: ImportedCase, debtor: ImportedDebtor) {
        self.row = row
        self.caseFields = caseFields
        self.debtor = debtor
    }
}

/// The checks of case-export.md, applied to one row; every problem of the row is reported, not
/// just the first.
public enum CaseExportRowValidator {
    public static func validate(_ fields: [CaseExportColumn: String], row: Int, references: CaseImportReferences) -> Result<
        ImportedRow, RowRejected
    > {
        var rejections: [ImportRejection] = []
        func text(_ column: CaseExportColumn) -> String {
            (fields[column] ?? "").trimmed
        }
        func optional(_ column: CaseExportColumn) -> String? {
            let value = text(column)
            return value.isEmpty ? nil : value
        }
        func reject(_ column: CaseExportColumn, _ reason: String) {
            rejections.append(ImportRejection(row: row, column: column.rawValue, value: fields[column] ?? "", reason: reason))
        }
        func required(_ column: CaseExportColumn) -> String? {
            let value = text(column)
            if value.isEmpty { reject(column, "必填，不能为空") }
            return value.isEmpty ? nil : value
        }
        /// A rule of `NewCaseRules` (or any that throws), its message reported against `column`.
        func rule(_ column: CaseExportColumn, _ check: () throws(DomainError) -> Void) {
            do { try check() } catch { reject(column, error.message) }
        }
        func check<T>(_ column: CaseExportColumn, _ parse: (String) throws(DomainError) -> T) -> T? {
            guard let value = required(column) else { return nil }
            do { return try parse(value) } catch {
                reject(column, error.message)
                return nil
            }
        }

        let caseNumber = check(.caseNumber) { v throws(DomainError) in
            let number = try CaseNumber(v)
            try NewCaseRules.enforcementNumber(number, field: "")
            return number
        }
        var courtCode: String?
        if let name = required(.court) {
            if let court = references.court(named: name) {
                courtCode = court.code
                if let caseNumber {
                    rule(.court) { () throws(DomainError) in try NewCaseRules.courtMatches(caseNumber, court: court, field: "") }
                }
            } else {
                reject(.court, "不是已登记的法院；已登记：\(references.courts.map(\.name).sorted().joined(separator: "、"))")
            }
        }
        let filedOn = check(.filedOn) { v throws(DomainError) in
            let date = try CalendarDate.parse(v)
            try date.mustHaveHappened(by: references.today, "立案日期", field: CaseExportColumn.filedOn.rawValue)
            return date
        }
        let status = check(.status) { v throws(DomainError) in try CaseStatus.parse(v) }
        var closedOn: CalendarDate?
        if let value = optional(.closedOn) {
            do {
                let date = try CalendarDate.parse(value)
                try date.mustHaveHappened(by: references.today, "结案日期", field: CaseExportColumn.closedOn.rawValue)
                closedOn = date
                if let filedOn, date < filedOn { reject(.closedOn, "结案日期早于立案日期 \(filedOn)") }
                if status == .inEnforcement { reject(.closedOn, "执行中的案件不应有结案日期") }
            } catch {
                reject(.closedOn, error.message)
            }
        } else if let status, status.isClosed {
            reject(.closedOn, "案件状态为「\(status.chinese)」时必须填写结案日期")
        }
        let basisNumber = required(.basisNumber).map { (try? CaseNumber($0).canonical) ?? $0 }
        let basisIssuer = required(.basisIssuer)
        let applicants = required(.applicants).map {
            $0.split(whereSeparator: { "、,，;；".contains($0) }).map { $0.trimmed }.filter { !$0.isEmpty }
        }
        let name = required(.debtorName)
        let kind = check(.debtorKind) { v throws(DomainError) in try DebtorKind.parse(v) }
        var identifier: DebtorIdentifier?
        if let kind {
            do {
                identifier = try DebtorIdentifier.parse(text(.idNumber), kind: kind, today: references.today)
            } catch {
                reject(.idNumber, error.message)
            }
        } else if text(.idNumber).isEmpty {
            reject(.idNumber, "必填，不能为空")
        }
        let legalRepresentative = optional(.legalRepresentative)
        if let kind {
            rule(.legalRepresentative) { () throws(DomainError) in
                _ = try NewCaseRules.legalRepresentative(legalRepresentative, kind: kind, field: "")
            }
        }
        var townshipCode: String?
        if let township = optional(.township) {
            rule(.township) { () throws(DomainError) in townshipCode = try references.townships.resolve(township, field: "").code }
        }
        let target = check(.target) { v throws(DomainError) in try Money.parseYuan(v) }
        if let target { rule(.target) { () throws(DomainError) in try NewCaseRules.target(target, field: "") } }
        var performed = Money.zero
        if let value = optional(.performed) {
            do {
                performed = try Money.parseYuan(value)
                if let target, performed > target { reject(.performed, "已履行金额不能超过执行标的金额 \(target.plainYuan) 元") }
            } catch {
                reject(.performed, error.message)
            }
        }
        var isPublicOfficial = false
        switch optional(.publicOfficial) {
        case nil, "否": isPublicOfficial = false
        case "是": isPublicOfficial = true
        default: reject(.publicOfficial, "只能填「是」或「否」（空白视为否）")
        }
        let employer = optional(.employer)
        rule(.employer) { () throws(DomainError) in _ = try NewCaseRules.employer(employer, isPublicOfficial: isPublicOfficial, field: "") }

        guard rejections.isEmpty, let caseNumber, let courtCode, let filedOn, let status, let basisNumber, let basisIssuer,
            let applicants, let name, let kind, let identifier, let target
        else {
            return .failure(RowRejected(rejections: rejections))
        }
        if applicants.isEmpty {
            return .failure(
                RowRejected(rejections: [
                    ImportRejection(
                        row: row, column: CaseExportColumn.applicants.rawValue,
                        value: fields[.applicants] ?? "", reason: "至少一名申请执行人")
                ]))
        }
        return .success(
            ImportedRow(
                row: row,
                caseFields: ImportedCase(
                    caseNumber: caseNumber, courtCode: courtCode, filedOn: filedOn, judgeName: optional(.judge),
                    status: status, closedOn: closedOn, basisNumber: basisNumber, basisIssuer: basisIssuer,
                    duty: optional(.duty), applicants: applicants, target: target, performed: performed),
                debtor: ImportedDebtor(
                    kind: kind, name: name, identifier: identifier, legalRepresentative: legalRepresentative,
                    address: optional(.address), townshipCode: townshipCode, phone: optional(.phone),
                    isPublicOfficial: isPublicOfficial, employer: employer)))
    }

    /// The case columns on which `row` disagrees with `first`, the earlier row of the same case.
    public static func disagreements(_ row: ImportedCase, with first: ImportedCase) -> [CaseExportColumn] {
        var columns: [CaseExportColumn] = []
        if row.courtCode != first.courtCode { columns.append(.court) }
        if row.filedOn != first.filedOn { columns.append(.filedOn) }
        if row.judgeName != first.judgeName { columns.append(.judge) }
        if row.status != first.status { columns.append(.status) }
        if row.closedOn != first.closedOn { columns.append(.closedOn) }
        if row.basisNumber != first.basisNumber { columns.append(.basisNumber) }
        if row.basisIssuer != first.basisIssuer { columns.append(.basisIssuer) }
        if row.duty != first.duty { columns.append(.duty) }
        if row.applicants != first.applicants { columns.append(.applicants) }
        if row.target != first.target { columns.append(.target) }
        if row.performed != first.performed { columns.append(.performed) }
        return columns
    }
}

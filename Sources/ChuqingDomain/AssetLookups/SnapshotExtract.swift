import Foundation

/// An extract file a department hands over instead of answering through an exchange
/// (docs/connector-protocol.md, "Extract files"): one CSV per data category, a row per thing the
/// department holds about a person or organisation. The snapshot connector answers a look-up with
/// the rows whose ID number is the debtor's.
///
/// The first row names the columns, in any order, in Chinese or English:
/// 证件号码/idNumber, 姓名或名称/name, 财产种类/kind, 描述/description (required);
/// 标识/identifier, 价值（元）/valueYuan, 权利人/holder (optional). All or nothing: a file with
/// any bad row is refused with every bad row listed (up to `maxProblems`).
public enum SnapshotExtract {
    /// One usable row.
    public struct Row: Sendable, Equatable {
        /// The file row it came from.
        public let line: Int
        /// The holder's ID as Chuqing stores debtors' IDs: an 18-character citizen ID or credit
        /// code, or a legacy organisation code written `XXXXXXXX-X`.
        public let idNumber: String
        public let name: String
        public let finding: AssetFinding
    }

    public enum Column: String, CaseIterable, Sendable {
        case idNumber, name, kind, description, identifier, valueYuan, holder

        /// The headings accepted for the column.
        var headings: [String] {
            switch self {
            case .idNumber: ["idNumber", "证件号码", "身份证号码", "统一社会信用代码"]
            case .name: ["name", "姓名或名称", "姓名", "名称"]
            case .kind: ["kind", "财产种类", "种类"]
            case .description: ["description", "描述", "财产描述"]
            case .identifier: ["identifier", "标识", "证号", "账号"]
            case .valueYuan: ["valueYuan", "价值（元）", "价值(元)", "价值"]
            case .holder: ["holder", "权利人"]
            }
        }

        var isRequired: Bool { [.idNumber, .name, .kind, .description].contains(self) }
    }

    public static let maxProblems = 20
    /// Rows beyond this are not an extract of one county's holders.
    public static let maxRows = 1_000_000

    /// The rows of an extract whose records (row number, fields) were read from a CSV file;
    /// `today` bounds birth dates in citizen IDs.
    public static func rows(_ records: [(row: Int, fields: [String])], today: CalendarDate) throws(DomainError) -> [Row] {
        guard let header = records.first else {
            throw DomainError(code: "empty_extract", message: "提取文件为空：第一行须为列名（证件号码,姓名或名称,财产种类,描述,标识,价值（元）,权利人）", field: "file")
        }
        var columns: [Column: Int] = [:]
        for (index, heading) in header.fields.enumerated() {
            let text = heading.trimmed
            guard let column = Column.allCases.first(where: { $0.headings.contains(text) }) else {
                if text.isEmpty { continue }
                throw DomainError(
                    code: "unknown_extract_column",
                    message:
                        "提取文件第 1 行的列名「\(text)」无法识别；可用：\(Column.allCases.map { $0.headings.prefix(2).joined(separator: "/") }.joined(separator: "、"))",
                    field: "file")
            }
            guard columns[column] == nil else {
                throw DomainError(code: "duplicate_extract_column", message: "提取文件第 1 行的列「\(text)」出现了两次", field: "file")
            }
            columns[column] = index
        }
        let missing = Column.allCases.filter { $0.isRequired && columns[$0] == nil }
        guard missing.isEmpty else {
            throw DomainError(
                code: "missing_extract_column",
                message: "提取文件缺少必需的列：\(missing.map { $0.headings[1] }.joined(separator: "、"))（第 1 行须为列名）", field: "file")
        }
        guard records.count - 1 <= maxRows else {
            throw DomainError(code: "extract_too_large", message: "提取文件最多 \(maxRows) 行（收到 \(records.count - 1) 行）；请按类别分开", field: "file")
        }
        var rows: [Row] = []
        var problems: [String] = []
        var problemCount = 0
        for record in records.dropFirst() {
            func field(_ column: Column) -> String {
                guard let index = columns[column], index < record.fields.count else { return "" }
                return record.fields[index].trimmed
            }
            if record.fields.allSatisfy({ $0.trimmed.isEmpty }) { continue }
            do {
                rows.append(try row(line: record.row, field, today: today))
            } catch {
                problemCount += 1
                if problems.count < maxProblems { problems.append("第 \(record.row) 行：\(error.message)") }
            }
        }
        guard problems.isEmpty else {
            let more = problemCount > problems.count ? "；另有 \(problemCount - problems.count) 行有误" : ""
            throw DomainError(
                code: "invalid_extract", message: "提取文件有 \(problemCount) 行有误，未导入任何一行：" + problems.joined(separator: "；") + more,
                field: "file")
        }
        return rows
    }

    private static func row(line: Int, _ field: (Column) -> String, today: CalendarDate) throws(DomainError) -> Row {
        let idText = field(.idNumber)
        let name = field(.name)
        guard !name.isEmpty, name.count <= 100 else {
            throw DomainError(code: "invalid_name", message: "姓名或名称须为 1–100 个字（收到「\(name)」）", field: "name")
        }
        let kindText = field(.kind)
        guard let kind = AssetFinding.Kind(rawValue: kindText) ?? AssetFinding.Kind.allCases.first(where: { $0.chinese == kindText }) else {
            throw DomainError(
                code: "unknown_finding_kind",
                message:
                    "财产种类「\(kindText)」无法识别；可用：\(AssetFinding.Kind.allCases.map { "\($0.rawValue)（\($0.chinese)）" }.joined(separator: "、"))",
                field: "kind")
        }
        let description = field(.description)
        guard !description.isEmpty, description.count <= 500 else {
            throw DomainError(code: "invalid_description", message: "描述须为 1–500 个字（收到 \(description.count) 个字）", field: "description")
        }
        let valueText = field(.valueYuan)
        let value: Int64? = valueText.isEmpty ? nil : try Money.parseYuan(valueText, field: "valueYuan").fen
        let identifier = field(.identifier)
        let holder = field(.holder)
        guard identifier.count <= 100, holder.count <= 100 else {
            throw DomainError(code: "field_too_long", message: "标识和权利人最多 100 个字", field: identifier.count > 100 ? "identifier" : "holder")
        }
        return Row(
            line: line, idNumber: try holderID(idText, today: today), name: name,
            finding: AssetFinding(
                kind: kind, description: description, identifier: identifier.isEmpty ? nil : identifier, valueFen: value,
                holder: holder.isEmpty ? nil : holder))
    }

    /// The ID as debtors' IDs are stored: a citizen ID (15 digits upgraded to 18) when it looks
    /// like one, else a credit code or a legacy organisation code.
    static func holderID(_ text: String, today: CalendarDate) throws(DomainError) -> String {
        let compact = text.uppercased().replacingOccurrences(of: "-", with: "")
        guard !compact.isEmpty else {
            throw DomainError(code: "missing_id_number", message: "缺少证件号码（身份证号码或统一社会信用代码）", field: "idNumber")
        }
        let looksLikeCitizen = (compact.count == 15 || compact.count == 18) && compact.prefix(17).allSatisfy(\.isASCIIDigit)
        guard looksLikeCitizen else { return try DebtorIdentifier.parse(text, kind: .organization, today: today).description }
        do {
            return try DebtorIdentifier.parse(text, kind: .person, today: today).description
        } catch {
            // A credit code may be all digits too (e.g. 12… for a public institution).
            if compact.count == 18, let code = try? DebtorIdentifier.parse(text, kind: .organization, today: today) {
                return code.description
            }
            throw error
        }
    }
}

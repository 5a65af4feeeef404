import ChuqingDomain
import Foundation
import ZIPFoundation

/// Reads the first sheet of an XLSX workbook (Office Open XML) as rows of text, so a court's
/// case export saved from Excel imports like its CSV. Shared strings, inline strings, numbers and
/// date-formatted cells (written as `YYYY-MM-DD`) are read; formulas give their cached value.
public enum XLSXReader {
    /// A row and its number in the sheet (the first row is 1).
    public struct Row: Sendable, Equatable {
        public let number: Int
        public let cells: [String]
    }

    /// What a workbook may hold. An upload is untrusted: a small ZIP can unpack to gigabytes, and
    /// an XML part can declare entities that expand without end (billion laughs). Every bound here
    /// is far beyond a real case export, so only a hostile or broken file meets one.
    public struct Limits: Sendable {
        /// Decompressed bytes of the sheet or the shared strings.
        public var largePartBytes = 256 << 20
        /// Decompressed bytes of any other part (workbook, relationships, styles: kilobytes in life).
        public var smallPartBytes = 4 << 20
        /// Decompressed ÷ compressed bytes of one part; spreadsheet XML packs 10–40×.
        public var ratio = 200
        /// Characters in one cell (the longest field of an export is a few hundred).
        public var cellCharacters = 1_000
        /// Rows of the sheet.
        public var rows = 1_000_000
        /// Columns of the sheet (an export has 21).
        public var columns = 200

        public init() {}
    }

    /// The rows of the workbook's first sheet; throws `DocumentError` naming what is missing or
    /// which limit a part exceeds.
    public static func rows(_ data: Data, limits: Limits = Limits()) throws -> [Row] {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw DocumentError(description: "不是有效的 XLSX 文件（无法作为 ZIP 打开）")
        }
        func part(_ path: String) throws -> [UInt8]? {
            guard let entry = archive[path] else { return nil }
            let large = path.hasSuffix("sharedStrings.xml") || path.contains("worksheets/")
            let cap = min(
                large ? limits.largePartBytes : limits.smallPartBytes,
                max(64 << 10, Int(clamping: entry.compressedSize) * limits.ratio))
            // The size the archive declares is checked first; the bytes are counted as they come,
            // since a declared size can lie, and extraction stops at the cap.
            func refuse() -> DocumentError {
                DocumentError(
                    description: "XLSX 文件的部件 \(path) 解压后超过 \(cap >> 10) KB 上限"
                        + "（不超过 \(large ? limits.largePartBytes >> 20 : limits.smallPartBytes >> 20) MB，且不超过压缩大小的 \(limits.ratio) 倍），"
                        + "不像是正常的案件导出表，未导入")
            }
            guard entry.uncompressedSize <= UInt64(cap) else { throw refuse() }
            var bytes: [UInt8] = []
            struct TooLarge: Error {}
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    guard bytes.count + chunk.count <= cap else { throw TooLarge() }
                    bytes.append(contentsOf: chunk)
                }
            } catch is TooLarge {
                throw refuse()
            }
            // A spreadsheet part never has a document type declaration; one that has is refused
            // before libxml2 sees it, so no entity is ever declared, let alone expanded.
            if bytes.firstRange(of: Array("<!DOCTYPE".utf8)) != nil || bytes.firstRange(of: Array("<!ENTITY".utf8)) != nil {
                throw DocumentError(description: "XLSX 文件的部件 \(path) 含有 DOCTYPE 或实体声明（表格文件从不使用），未导入")
            }
            return bytes
        }
        func checked(_ text: String, _ what: @autoclosure () -> String) throws -> String {
            guard text.count <= limits.cellCharacters else {
                throw DocumentError(description: "XLSX 文件\(what())有 \(text.count) 个字符，超过每格 \(limits.cellCharacters) 字的上限，未导入")
            }
            return text
        }
        guard let workbookBytes = try part("xl/workbook.xml"), let workbook = XMLTree(workbookBytes)?.root,
            let firstSheet = workbook.child("sheets")?.children("sheet").first
        else {
            throw DocumentError(description: "XLSX 文件中没有工作表（xl/workbook.xml）")
        }
        var sheetPath = "xl/worksheets/sheet1.xml"
        if let relationID = firstSheet.attribute("id"), let relsBytes = try part("xl/_rels/workbook.xml.rels"),
            let rels = XMLTree(relsBytes)?.root,
            let target = rels.children("Relationship").first(where: { $0.attribute("Id") == relationID })?.attribute("Target")
        {
            sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        let sharedStrings: [String] =
            try part("xl/sharedStrings.xml").flatMap { XMLTree($0)?.root }.map { root in
                try root.children("si").enumerated().map { index, item in
                    try checked(item.descendants("t").map(\.text).joined(), "的共享字符串第 \(index + 1) 项")
                }
            } ?? []
        let dateStyles = try part("xl/styles.xml").flatMap { XMLTree($0)?.root }.map(Self.dateStyleIndexes) ?? []
        guard let sheetBytes = try part(sheetPath), let sheet = XMLTree(sheetBytes)?.root, let data = sheet.child("sheetData") else {
            throw DocumentError(description: "XLSX 文件中读不到第一个工作表（\(sheetPath)）")
        }
        var rows: [Row] = []
        let rowElements = data.children("row")
        guard rowElements.count <= limits.rows else {
            throw DocumentError(description: "XLSX 工作表有 \(rowElements.count) 行，超过 \(limits.rows) 行上限；请分成几个文件导入")
        }
        for (index, rowElement) in rowElements.enumerated() {
            let number = rowElement.attribute("r").flatMap(Int.init) ?? index + 1
            var cells: [String] = []
            for cell in rowElement.children("c") {
                let column = cell.attribute("r").map(Self.columnIndex) ?? cells.count
                guard column < limits.columns else {
                    throw DocumentError(
                        description: "XLSX 工作表第 \(number) 行有第 \(column + 1) 列的单元格，超过 \(limits.columns) 列上限（案件导出表只有 21 列），未导入")
                }
                while cells.count < column { cells.append("") }
                let raw = cell.child("v")?.text ?? ""
                let value: String
                switch cell.attribute("t") {
                case "s": value = Int(raw).flatMap { $0 < sharedStrings.count ? sharedStrings[$0] : nil } ?? ""
                case "inlineStr": value = cell.child("is")?.descendants("t").map(\.text).joined() ?? ""
                case "b": value = raw == "1" ? "TRUE" : "FALSE"
                default:
                    if let style = cell.attribute("s").flatMap(Int.init), dateStyles.contains(style), let serial = Double(raw) {
                        value = Self.date(fromSerial: serial)
                    } else {
                        value = raw
                    }
                }
                cells.append(try checked(value, "第 \(number) 行第 \(column + 1) 列"))
            }
            if cells.contains(where: { !$0.isEmpty }) { rows.append(Row(number: number, cells: cells)) }
        }
        return rows
    }

    /// `AB12` → 27 (zero-based column).
    static func columnIndex(_ reference: String) -> Int {
        var index = 0
        for character in reference.uppercased() {
            guard let ascii = character.asciiValue, character.isLetter else { break }
            index = index * 26 + Int(ascii - 64)
        }
        return max(0, index - 1)
    }

    /// The cell-format indexes (`s`) whose number format shows a date.
    static func dateStyleIndexes(_ styles: XMLElement) -> Set<Int> {
        // Built-in date formats of ECMA-376 §18.8.30, including the East Asian ones.
        var dateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)
        for format in styles.child("numFmts")?.children("numFmt") ?? [] {
            guard let id = format.attribute("numFmtId").flatMap(Int.init), let code = format.attribute("formatCode") else { continue }
            let stripped = code.replacingOccurrences(of: "\"[^\"]*\"", with: "", options: .regularExpression).lowercased()
            if stripped.contains("y") || stripped.contains("d") || code.contains("年") { dateFormats.insert(id) }
        }
        var result: Set<Int> = []
        for (index, xf) in (styles.child("cellXfs")?.children("xf") ?? []).enumerated() {
            if let id = xf.attribute("numFmtId").flatMap(Int.init), dateFormats.contains(id) { result.insert(index) }
        }
        return result
    }

    /// Excel's serial day number (1900 date system) as `YYYY-MM-DD`.
    static func date(fromSerial serial: Double) -> String {
        // Day 0 is 1899-12-30 for serials after Excel's phantom 1900-02-29 (serial 60).
        let epoch = CalendarDate(year: 1899, month: 12, day: 30)!
        let days = Int(serial.rounded(.down))
        return epoch.adding(days: days < 61 ? days + 1 : days).description
    }
}

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

    /// The rows of the workbook's first sheet; throws `DocumentError` naming what is missing.
    public static func rows(_ data: Data) throws -> [Row] {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw DocumentError(description: "不是有效的 XLSX 文件（无法作为 ZIP 打开）")
        }
        func part(_ path: String) throws -> [UInt8]? {
            guard let entry = archive[path] else { return nil }
            var bytes: [UInt8] = []
            _ = try archive.extract(entry, skipCRC32: false) { bytes.append(contentsOf: $0) }
            return bytes
        }
        guard let workbookBytes = try part("xl/workbook.xml"), let workbook = XMLTree(workbookBytes)?.root,
              let firstSheet = workbook.child("sheets")?.children("sheet").first
        else {
            throw DocumentError(description: "XLSX 文件中没有工作表（xl/workbook.xml）")
        }
        var sheetPath = "xl/worksheets/sheet1.xml"
        if let relationID = firstSheet.attribute("id"), let relsBytes = try part("xl/_rels/workbook.xml.rels"),
           let rels = XMLTree(relsBytes)?.root,
           let target = rels.children("Relationship").first(where: { $0.attribute("Id") == relationID })?.attribute("Target") {
            sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        let sharedStrings: [String] = try part("xl/sharedStrings.xml").flatMap { XMLTree($0)?.root }.map { root in
            root.children("si").map { item in item.descendants("t").map(\.text).joined() }
        } ?? []
        let dateStyles = try part("xl/styles.xml").flatMap { XMLTree($0)?.root }.map(Self.dateStyleIndexes) ?? []
        guard let sheetBytes = try part(sheetPath), let sheet = XMLTree(sheetBytes)?.root, let data = sheet.child("sheetData") else {
            throw DocumentError(description: "XLSX 文件中读不到第一个工作表（\(sheetPath)）")
        }
        var rows: [Row] = []
        for (index, rowElement) in data.children("row").enumerated() {
            let number = rowElement.attribute("r").flatMap(Int.init) ?? index + 1
            var cells: [String] = []
            for cell in rowElement.children("c") {
                let column = cell.attribute("r").map(Self.columnIndex) ?? cells.count
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
                cells.append(value)
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

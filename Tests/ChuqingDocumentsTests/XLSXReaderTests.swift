import Foundation
import Testing
import ZIPFoundation

@testable import ChuqingDocuments

@Suite("XLSX")
struct XLSXReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    @Test
    func theSampleWorkbookReadsLikeItsCSV() throws {
        let rows = try XLSXReader.rows(try Data(contentsOf: Self.fixtures.appendingPathComponent("sample-case-export.xlsx")))
        #expect(rows.count == 12)
        #expect(rows[0].cells.first == "案号")
        #expect(rows[1].number == 2)
        #expect(rows[1].cells[0] == "（2023）赣0732执1022号")
        #expect(rows[1].cells[2] == "2023-03-14")  // a date cell, as a serial with a date format
        #expect(rows[2].cells[18] == "50000.5")  // a number cell
        #expect(rows[11].cells[2] == "2023-02-30")  // text that is not a date stays text
    }

    @Test
    func notAWorkbookIsRefused() {
        #expect(throws: DocumentError.self) { try XLSXReader.rows(Data("案号,执行法院\n".utf8)) }
    }

    @Test
    func excelSerialDatesConvert() {
        #expect(XLSXReader.date(fromSerial: 45_000) == "2023-03-15")
        #expect(XLSXReader.date(fromSerial: 1) == "1900-01-01")
        #expect(XLSXReader.date(fromSerial: 61) == "1900-03-01")
    }
}

/// Workbooks built to hurt whatever reads them, and the limits that stop each.
@Suite("XLSX limits")
struct XLSXLimitTests {
    static let workbook =
        #"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="s" sheetId="1"/></sheets></workbook>"#
    static func sheet(_ rows: String) -> String {
        #"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"# + rows
            + "</sheetData></worksheet>"
    }

    /// A ZIP of `parts` (path → bytes), deflated as Excel does.
    static func xlsx(_ parts: [String: Data]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, bytes) in parts.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) {
                position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data!
    }

    static func message(_ data: Data, limits: XLSXReader.Limits = .init()) -> String? {
        do {
            _ = try XLSXReader.rows(data, limits: limits)
            return nil
        } catch { return "\(error)" }
    }

    @Test func aWellFormedWorkbookStillReads() throws {
        let data = try Self.xlsx([
            "xl/workbook.xml": Data(Self.workbook.utf8),
            "xl/worksheets/sheet1.xml": Data(Self.sheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>案号</t></is></c></row>"#).utf8),
        ])
        #expect(try XLSXReader.rows(data).first?.cells == ["案号"])
    }

    @Test func nestedEntitiesAreRefusedBeforeParsing() throws {
        // billion laughs: ten levels of ten references each, 1.9 KB packed
        var doctype = #"<!DOCTYPE sst [<!ENTITY l0 "lol">"#
        for level in 1...9 { doctype += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">" }
        doctype += "]>"
        let strings =
            #"<?xml version="1.0"?>"# + doctype
            + #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&l9;</t></si></sst>"#
        let data = try Self.xlsx([
            "xl/workbook.xml": Data(Self.workbook.utf8), "xl/sharedStrings.xml": Data(strings.utf8),
            "xl/worksheets/sheet1.xml": Data(Self.sheet(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#).utf8),
        ])
        #expect(data.count < 4_000)
        let refusal = try #require(Self.message(data))
        #expect(refusal.contains("xl/sharedStrings.xml") && refusal.contains("DOCTYPE"))
    }

    @Test func aPartThatUnpacksFarBeyondItsSizeIsRefused() throws {
        // a workbook part of 16 MiB of white space packs to a few KB
        let bomb = Data(Self.workbook.utf8) + Data(repeating: 0x20, count: 16 << 20)
        let data = try Self.xlsx(["xl/workbook.xml": bomb, "xl/worksheets/sheet1.xml": Data(Self.sheet("").utf8)])
        #expect(data.count < 100_000)
        let refusal = try #require(Self.message(data))
        #expect(refusal.contains("xl/workbook.xml") && refusal.contains("上限"))
        // the ratio holds for the large parts too
        var limits = XLSXReader.Limits()
        limits.ratio = 10
        let sheet = try Self.xlsx([
            "xl/workbook.xml": Data(Self.workbook.utf8),
            "xl/worksheets/sheet1.xml": Data(Self.sheet(String(repeating: "<row/>", count: 200_000)).utf8),
        ])
        #expect(Self.message(sheet, limits: limits)?.contains("xl/worksheets/sheet1.xml") == true)
    }

    @Test func cellsRowsAndColumnsHaveLimits() throws {
        func workbook(_ rows: String) throws -> Data {
            try Self.xlsx(["xl/workbook.xml": Data(Self.workbook.utf8), "xl/worksheets/sheet1.xml": Data(Self.sheet(rows).utf8)])
        }
        let long = String(repeating: "长", count: 1_001)
        #expect(
            Self.message(try workbook(#"<row r="2"><c r="C2" t="inlineStr"><is><t>\#(long)</t></is></c></row>"#))?
                .contains("第 2 行第 3 列有 1001 个字符") == true)
        #expect(Self.message(try workbook(#"<row r="1"><c r="XFD1"><v>1</v></c></row>"#))?.contains("第 16384 列") == true)
        var limits = XLSXReader.Limits()
        limits.rows = 3
        #expect(
            Self.message(try workbook(String(repeating: #"<row><c><v>1</v></c></row>"#, count: 4)), limits: limits)?.contains("超过 3 行上限")
                == true)
    }
}

@testable import ChuqingDocuments
import Foundation
import Testing

@Suite("XLSX")
struct XLSXReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test
    func theSampleWorkbookReadsLikeItsCSV() throws {
        let rows = try XLSXReader.rows(try Data(contentsOf: Self.fixtures.appendingPathComponent("sample-case-export.xlsx")))
        #expect(rows.count == 12)
        #expect(rows[0].cells.first == "案号")
        #expect(rows[1].number == 2)
        #expect(rows[1].cells[0] == "（2023）赣0732执1022号")
        #expect(rows[1].cells[2] == "2023-03-14")       // a date cell, as a serial with a date format
        #expect(rows[2].cells[18] == "50000.5")          // a number cell
        #expect(rows[11].cells[2] == "2023-02-30")       // text that is not a date stays text
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

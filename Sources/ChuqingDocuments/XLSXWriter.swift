import Foundation
import ZIPFoundation

/// Writes a one-sheet XLSX workbook (Office Open XML SpreadsheetML) from rows of cells: numbers
/// as numbers, amounts in 元 as numbers with two decimals and thousands separators (#,##0.00),
/// everything else as inline strings; the first row bold and frozen, and each column as wide as
/// its longest cell. Enough for exports that open in Excel, WPS and LibreOffice; read back by
/// `XLSXReader`.
public enum XLSXWriter {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Int64)
        /// An amount in 分, written in 元 (a person reads 元 with two decimals, never 分).
        case yuan(Int64)
    }

    public static func workbook(sheetName: String, rows: [[Cell]]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        let parts: [(String, String)] = [
            (
                "[Content_Types].xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/>\
                <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
                <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
                <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
                </Types>
                """
            ),
            (
                "_rels/.rels",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
                </Relationships>
                """
            ),
            (
                "xl/workbook.xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
                xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
                <sheets><sheet name="\(escape(String(sheetName.prefix(31))))" sheetId="1" r:id="rId1"/></sheets></workbook>
                """
            ),
            (
                "xl/_rels/workbook.xml.rels",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
                <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
                </Relationships>
                """
            ),
            ("xl/worksheets/sheet1.xml", sheet(rows)),
            // Style 1: the header, bold; style 2: an amount, #,##0.00 (built-in format 4).
            (
                "xl/styles.xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
                <fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>\
                <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
                <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
                <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
                <cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
                <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
                <xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
                </styleSheet>
                """
            ),
        ]
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    /// The text a cell shows, for its column's width.
    static func shown(_ cell: Cell) -> String {
        switch cell {
        case .text(let text): text
        case .number(let value): String(value)
        case .yuan(let fen): String(format: "%.2f", Double(fen) / 100) + String(repeating: ",", count: String(abs(fen) / 100).count / 3)
        }
    }

    /// Characters wide, counting a CJK character as two, as spreadsheets lay them out.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) }
    }

    private static func sheet(_ rows: [[Cell]]) -> String {
        var xml =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        // The header row stays in view while the rows scroll.
        xml +=
            #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        let columns = rows.map(\.count).max() ?? 0
        if columns > 0 {
            xml += "<cols>"
            for c in 0..<columns {
                let widest = rows.compactMap { $0.indices.contains(c) ? width(shown($0[c])) : nil }.max() ?? 8
                xml += #"<col min="\#(c + 1)" max="\#(c + 1)" width="\#(min(60, max(8, widest + 2)))" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        for (r, row) in rows.enumerated() {
            xml += #"<row r="\#(r + 1)">"#
            let header = r == 0 ? #" s="1""# : ""
            for (c, cell) in row.enumerated() {
                let reference = column(c) + String(r + 1)
                switch cell {
                case .number(let value): xml += #"<c r="\#(reference)"\#(header)><v>\#(value)</v></c>"#
                case .yuan(let fen):
                    let sign = fen < 0 ? "-" : ""
                    let value = "\(sign)\(fen.magnitude / 100).\(String(fen.magnitude % 100).leftPaddedWithZeros(2))"
                    xml += #"<c r="\#(reference)" s="2"><v>\#(value)</v></c>"#
                case .text(let text):
                    xml += #"<c r="\#(reference)" t="inlineStr"\#(header)><is><t xml:space="preserve">\#(escape(text))</t></is></c>"#
                }
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    /// A, B, …, Z, AA, AB, …
    static func column(_ index: Int) -> String {
        var index = index + 1
        var name = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return name
    }

    private static func escape(_ text: String) -> String {
        CampaignBulletin.escape(text)
    }
}

extension String {
    fileprivate func leftPaddedWithZeros(_ length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}

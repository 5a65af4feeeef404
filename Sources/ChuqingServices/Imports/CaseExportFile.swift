import ChuqingDocuments
import ChuqingDomain
import ChuqingPersistence
import Foundation

/// A case export file as records: XLSX (recognised by its ZIP signature) or CSV in UTF-8, UTF-16
/// or GB18030/GBK (`TextFile`), with the format it was read as for the report.
public struct CaseExportFile: Sendable {
    public let records: [CSVReader.Record]
    /// "XLSX", or the CSV's encoding ("UTF-8", "GB18030（GBK）", …).
    public let format: String
    /// The file as it came, kept after a dry run for committing it (issue 16 item 18).
    public let data: Data

    public init(_ data: Data) throws(DomainError) {
        self.data = data
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            do {
                records = try XLSXReader.rows(data).map { CSVReader.Record(row: $0.number, fields: $0.cells) }
            } catch {
                throw DomainError(code: "malformed_xlsx", message: "\(error)", field: "file")
            }
            format = "XLSX"
            return
        }
        let file: TextFile
        do {
            file = try TextFile(data)
        } catch {
            throw DomainError(
                code: "undecodable_file",
                message: "文件第 \(error.offset) 字节（0x\(String(format: "%02X", error.byte))）起无法解码：它既不是 UTF-8、UTF-16，也不是 GBK/GB18030 文本。"
                    + "请在表格软件中另存为「CSV UTF-8」或 XLSX 后重新导入", field: "file")
        }
        do {
            records = try CSVReader.records(file.text)
        } catch {
            let row = (error as? CSVReader.UnterminatedQuote)?.row ?? 0
            throw DomainError(code: "malformed_csv", message: "第 \(row) 行的引号没有闭合", field: "file")
        }
        format = file.encoding.rawValue
    }
}

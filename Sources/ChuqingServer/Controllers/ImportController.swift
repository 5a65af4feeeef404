import ChuqingDocuments
import ChuqingDomain
import ChuqingPersistence
import ChuqingServices
import Foundation
import Hummingbird
import NIOCore

/// `POST /api/v1/imports/cases`: a court's case export, as the body (`text/csv`) or as the
/// `file` part of `multipart/form-data`. `?dryRun=true` checks without writing;
/// `?allOrNothing=true` writes nothing unless every row is valid.
struct ImportController {
    let database: Database
    let now: @Sendable () -> Date

    /// Case exports are larger than ordinary request bodies.
    static let maxFileBytes = 32 << 20

    /// Who imports case exports: a judge their own cases, the director and the clerk the court's.

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/imports/cases", .permitted(.importCases)) { request, context in
            var request = request
            let body = try await request.collectBody(upTo: Self.maxFileBytes)
            let data = try Self.fileData(body, contentType: request.headers[.contentType] ?? "")
            let options = CaseImportOptions(
                dryRun: try request.flag("dryRun") ?? false,
                allOrNothing: try request.flag("allOrNothing") ?? false)
            let file: CaseExportFile
            do {
                file = try CaseExportFile(data)
            } catch let error as DomainError {
                throw APIError(.unsupportedMediaType, code: error.code, message: error.message, field: "file")
            }
            let report = try await importFile(file, options: options, context: context)
            return try JSON.response(report)
        }
    }

    /// The file's bytes: the body itself, or the `file` part of a multipart form.
    static func fileData(_ body: ByteBuffer, contentType: String) throws -> Data {
        let data = Data(buffer: body)
        guard MultipartForm.isMultipart(contentType) else { return data }
        guard let file = try MultipartForm(data, contentType: contentType)["file"] else {
            throw APIError(.badRequest, code: "missing_file", message: "multipart 请求中没有名为 file 的文件", field: "file")
        }
        return file.data
    }

    /// Imports a case export's records and audits a committed import; the API and the import
    /// page share it.
    func importFile(_ file: CaseExportFile, options: CaseImportOptions, context: AppRequestContext) async throws -> CaseImportReport {
        let user = try context.requireSession().user
        let instant = now()
        var options = options
        options.scope = .of(user)
        var report = try await CaseImporter(database: database).run(
            file.records, options: options, actorID: user.id, actorUsername: user.username.value,
            now: instant, today: ShanghaiClock.today(instant))
        report.format = file.format
        if report.committed {
            try await SQLAuditLogRepository().append(
                context.acting.audit(
                    "cases.import", entity: "import", id: nil,
                    detail:
                        "读取 \(report.rowsRead) 行：新增 \(report.casesCreated)，更新 \(report.casesUpdated)，未变 \(report.unchanged)，拒绝 \(report.rowsRejected) 行",
                    at: instant), on: database.sql)
        }
        return report
    }
}

/// A case export file as records: XLSX (recognised by its ZIP signature) or CSV in UTF-8, UTF-16
/// or GB18030/GBK (`TextFile`), with the format it was read as for the report.
public struct CaseExportFile: Sendable {
    public let records: [CSVReader.Record]
    /// "XLSX", or the CSV's encoding ("UTF-8", "GB18030（GBK）", …).
    public let format: String

    public init(_ data: Data) throws(DomainError) {
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

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
    let imports: ImportService

    /// Case exports are larger than ordinary request bodies.
    static let maxFileBytes = 32 << 20

    func register(on routes: RouteTable) {
        routes.on(.post, "/api/v1/imports/cases", .permitted(.importCases), use: importCases)
        routes.on(.post, "/api/v1/imports/cases/checked/:id", .permitted(.importCases), use: commitChecked)
    }

    /// Commits a dry run's file (`checkedImportId`); `?allOrNothing=true` as for a file.
    @Sendable func commitChecked(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (report, _) = try await imports.commitChecked(
            id: context.pathID, allOrNothing: try request.flag("allOrNothing") ?? false, by: context.acting)
        return try JSON.response(ImportReportResponse(report))
    }

    @Sendable func importCases(_ request: Request, context: AppRequestContext) async throws -> Response {
        var incoming = request
        let body = try await incoming.collectBody(upTo: Self.maxFileBytes)
        let data = try Self.fileData(body, contentType: request.headers[.contentType] ?? "")
        let options = CaseImportOptions(
            dryRun: try request.flag("dryRun") ?? false,
            allOrNothing: try request.flag("allOrNothing") ?? false)
        let file: CaseExportFile
        // A plain catch: the initializer throws only DomainError, and `catch let error as
        // DomainError` in an async @Sendable method crashed the Swift 6.3.1 compiler.
        do {
            file = try CaseExportFile(data)
        } catch {
            throw APIError(.unsupportedMediaType, code: error.code, message: error.message, field: "file")
        }
        let report = try await imports.importCases(file, options: options, by: context.acting)
        return try JSON.response(ImportReportResponse(report))
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
}

import ChuqingDomain
@testable import ChuqingServer
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Case import over the API")
struct ImportAPITests {
    static var sample: String {
        get throws { try String(contentsOf: TestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures/sample-case-export.csv"), encoding: .utf8) }
    }

    @Test(arguments: TestEngine.available)
    func aJudgePostsTheFileAndGetsTheReport(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let token = try await world.token(.judge)
            let response = try await client.execute(uri: "/api/v1/imports/cases", method: .post,
                                                    headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"],
                                                    body: ByteBuffer(string: try Self.sample))
            #expect(response.status == .ok)
            #expect(response.json["rowsRead"] as? Int == 11)
            #expect(response.json["casesCreated"] as? Int == 7)
            #expect(response.json["rowsRejected"] as? Int == 2)
            let rejections = try #require(response.json["rejections"] as? [[String: Any]])
            #expect(rejections.contains { $0["row"] as? Int == 9 && $0["column"] as? String == "证件号码" && ($0["reason"] as? String)?.contains("应为 6") == true })
            #expect(response.json["warnings"] is [Any])
        }
    }

    @Test(arguments: TestEngine.available)
    func aMultipartUploadWorksTooAndADryRunWritesNothing(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let token = try await world.token(.director)
            let boundary = "----chuqing\(UUID().uuidString)"
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + (try Self.sample) + "\r\n--\(boundary)--\r\n"
            let dry = try await client.execute(uri: "/api/v1/imports/cases?dryRun=true", method: .post,
                                               headers: [.authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)"],
                                               body: ByteBuffer(string: body))
            #expect(dry.status == .ok)
            #expect(dry.json["casesCreated"] as? Int == 7)
            #expect(dry.json["committed"] as? Bool == false)
            let real = try await client.execute(uri: "/api/v1/imports/cases", method: .post,
                                                headers: [.authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)"],
                                                body: ByteBuffer(string: body))
            #expect(real.json["casesCreated"] as? Int == 7)  // the dry run left nothing behind
        }
    }

    @Test(arguments: TestEngine.available)
    func aFileWithoutRequiredColumnsIsRefusedWhole(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let token = try await world.token(.judge)
            let response = try await client.execute(uri: "/api/v1/imports/cases", method: .post,
                                                    headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"],
                                                    body: ByteBuffer(string: "案号,被执行人\n（2023）赣0732执1号,张三\n"))
            #expect(response.status == .unprocessableContent)
            #expect(response.errorCode == "missing_columns")
        }
    }
}

@Suite("Case import from XLSX")
struct XLSXImportTests {
    @Test(arguments: TestEngine.available)
    func theWorkbookImportsWithTheSameResultAsTheCSV(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let data = try Data(contentsOf: TestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures/sample-case-export.xlsx"))
            let response = try await client.execute(uri: "/api/v1/imports/cases", method: .post,
                                                    headers: [.authorization: "Bearer \(try await world.token(.judge))",
                                                              .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
                                                    body: ByteBuffer(bytes: data))
            #expect(response.status == .ok)
            #expect(response.json["casesCreated"] as? Int == 7)
            #expect(response.json["rowsRejected"] as? Int == 2)
            let rows = Set((response.json["rejections"] as? [[String: Any]] ?? []).compactMap { $0["row"] as? Int })
            #expect(rows == [9, 12])
        }
    }
}

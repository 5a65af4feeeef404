import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChuqingServer

/// Issue 15, item 1: services take a record's id as a `UUID`. The path, the body and the query
/// turn the client's text into one at the edge, with the answer a client can act on.
@Suite("Record ids at the edge")
struct RecordIDTests {
    @Test(arguments: TestEngine.available)
    func anIdIsReadInEitherCaseAndAMalformedOneIsExplained(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let director = try await world.token(.director)
            let id = try await CaseAPITests.caseID(client, director, "（2023）赣0732执1022号")

            // the same case in capitals: an id names a record however it is spelled
            let upper = try await client.execute(uri: "/api/v1/cases/\(id.uppercased())", method: .get, headers: bearer(director))
            #expect(upper.status == .ok)
            #expect(upper.json["id"] as? String == id)

            // a path id that is not one names no record, like an unknown one
            for path in ["/api/v1/cases/not-an-id", "/api/v1/cases/\(UUID().uuidString)", "/api/v1/debtors/123"] {
                let response = try await client.execute(uri: path, method: .get, headers: bearer(director))
                #expect(response.status == .notFound, "\(path)")
            }

            // a body id that is not one: 400 naming the field and what an id looks like
            let lookup = try await client.execute(
                uri: "/api/v1/asset-lookups", method: .post, headers: bearer(director),
                body: jsonBody(["caseId": "1022", "debtorId": UUID().uuidString, "legalBasis": "执行需要"]))
            #expect(lookup.status == .badRequest)
            #expect(lookup.errorCode == "invalid_value")
            let error = try #require(lookup.json["error"] as? [String: Any])
            #expect(error["field"] as? String == "caseId")
            #expect((error["message"] as? String)?.contains("UUID") == true)

            // a query id that is not one
            let notifications = try await client.execute(
                uri: "/api/v1/blacklist-notifications?entryId=abc", method: .get, headers: bearer(director))
            #expect(notifications.status == .badRequest)
            #expect((notifications.json["error"] as? [String: Any])?["field"] as? String == "entryId")
        }
    }
}

import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import ChuqingServer

@Suite("Villages and debtor photos")
struct VillageAndPhotoTests {
    /// A real (1×1) PNG.
    static let png = Data(
        base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")!

    static func debtorID(_ client: some TestClientProtocol, _ token: String, idNumber: String) async throws -> String {
        let found = try await client.execute(uri: "/api/v1/debtors?idNumber=\(idNumber)", method: .get, headers: bearer(token))
        return try #require((found.json["items"] as? [[String: Any]])?.first?["id"] as? String)
    }

    @Test(arguments: TestEngine.available)
    func anAdminRegistersVillagesAndADebtorLivesInOne(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let admin = try await world.token(.admin)
            let director = try await world.token(.director)
            // 古龙岗镇 is 360732-13 in the seed; find it by name rather than trust the number
            let townships = try await client.execute(uri: "/api/v1/townships", method: .get, headers: bearer(director))
            let gulonggang = try #require(
                (townships.json["items"] as? [[String: Any]])?.first { $0["name"] as? String == "古龙岗镇" }?["code"] as? String)

            let added = try await client.execute(
                uri: "/api/v1/townships/\(gulonggang)/villages", method: .post, headers: bearer(admin),
                body: jsonBody(["name": " 古龙岗村 "]))
            #expect(added.status == .created)
            #expect(added.json["name"] as? String == "古龙岗村")
            let again = try await client.execute(
                uri: "/api/v1/townships/\(gulonggang)/villages", method: .post, headers: bearer(admin),
                body: jsonBody(["name": "古龙岗村"]))
            #expect(again.status == .conflict)
            let blank = try await client.execute(
                uri: "/api/v1/townships/\(gulonggang)/villages", method: .post, headers: bearer(admin),
                body: jsonBody(["name": "  "]))
            #expect(blank.status == .unprocessableContent)
            #expect(blank.errorCode == "invalid_village_name")
            let nowhere = try await client.execute(uri: "/api/v1/townships/999999-99/villages", method: .get, headers: bearer(director))
            #expect(nowhere.status == .notFound)
            let list = try await client.execute(uri: "/api/v1/townships/\(gulonggang)/villages", method: .get, headers: bearer(director))
            #expect((list.json["items"] as? [[String: Any]])?.map { $0["name"] as? String } == ["古龙岗村"])

            // 陈某生 lives in 古龙岗镇: an unregistered village is refused with the accepted ones
            let debtor = try await Self.debtorID(client, director, idNumber: "36073219780312131X")
            let unknown = try await client.execute(
                uri: "/api/v1/debtors/\(debtor)", method: .patch, headers: bearer(director),
                body: jsonBody(["village": "月亮村"]))
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.errorCode == "unknown_village")
            #expect((unknown.json["error"] as? [String: Any])?["message"] as? String == "所属乡镇没有「月亮村」这个村（社区）。可选：古龙岗村")
            let known = try await client.execute(
                uri: "/api/v1/debtors/\(debtor)", method: .patch, headers: bearer(director),
                body: jsonBody(["village": "古龙岗村"]))
            #expect(known.status == .ok)
            #expect(known.json["village"] as? String == "古龙岗村")
            // moving to another township drops a village that belongs to the old one
            let moved = try await client.execute(
                uri: "/api/v1/debtors/\(debtor)", method: .patch, headers: bearer(director),
                body: jsonBody(["township": "潋江镇"]))
            #expect(moved.status == .ok)
            #expect(moved.json["village"] == nil || moved.json["village"] is NSNull)
        }
    }

    @Test(arguments: TestEngine.available)
    func aDebtorsPhotoIsStoredShownAndGuarded(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            try await CaseAPITests.importSample(client, world)
            let director = try await world.token(.director)
            let debtor = try await Self.debtorID(client, director, idNumber: "36073219780312131X")

            let html = try await client.execute(
                uri: "/api/v1/debtors/\(debtor)/photo", method: .put,
                headers: [.authorization: "Bearer \(director)", .contentType: "image/png"],
                body: ByteBuffer(string: "<html>not a photo</html>"))
            #expect(html.status == .unprocessableContent)
            #expect(html.errorCode == "unsupported_photo")
            let none = try await client.execute(uri: "/api/v1/debtors/\(debtor)/photo", method: .get, headers: bearer(director))
            #expect(none.status == .notFound)

            let put = try await client.execute(
                uri: "/api/v1/debtors/\(debtor)/photo", method: .put,
                headers: [.authorization: "Bearer \(director)", .contentType: "image/png"],
                body: ByteBuffer(bytes: Self.png))
            #expect(put.status == .noContent)
            let got = try await client.execute(uri: "/api/v1/debtors/\(debtor)/photo", method: .get, headers: bearer(director))
            #expect(got.status == .ok)
            #expect(got.headers[.contentType] == "image/png")
            #expect(got.headers[.cacheControl] == "private, no-store")
            #expect(Data(buffer: got.body) == Self.png)
            let detail = try await client.execute(uri: "/api/v1/debtors/\(debtor)", method: .get, headers: bearer(director))
            #expect(detail.json["hasPhoto"] as? Bool == true)

            // the page shows it, and the upload form replaces it
            let cookie = try await world.cookie(.director)
            let csrf = PageTests.csrf(for: cookie)
            let page = try await client.execute(uri: "/debtors/\(debtor)", method: .get, headers: [.cookie: cookie])
            #expect(page.text.contains("src=\"/debtors/\(debtor)/photo\""))
            let image = try await client.execute(uri: "/debtors/\(debtor)/photo", method: .get, headers: [.cookie: cookie])
            #expect(Data(buffer: image.body) == Self.png)
            let boundary = "photo-boundary"
            var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n".utf8)
            body.append(
                Data(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.txt\"\r\n\r\nhello\r\n--\(boundary)--\r\n"
                        .utf8))
            let refused = try await client.execute(
                uri: "/debtors/\(debtor)/photo", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: cookie],
                body: ByteBuffer(bytes: body))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("JPEG 或 PNG"))

            // a judge of other cases, a liaison of another township (404: existence does not leak),
            // an auditor's upload: not allowed
            let otherJudge = try await client.execute(
                uri: "/api/v1/debtors/\(debtor)/photo", method: .get, headers: bearer(try await world.token(.judge)))
            #expect(otherJudge.status == .notFound)
            let liaison = try await client.execute(
                uri: "/api/v1/debtors/\(debtor)/photo", method: .get, headers: bearer(try await world.token(.liaison)))
            #expect(liaison.status == .notFound)
            let auditor = try await client.execute(
                uri: "/api/v1/debtors/\(debtor)/photo", method: .put,
                headers: [.authorization: "Bearer \(try await world.token(.auditor))", .contentType: "image/png"],
                body: ByteBuffer(bytes: Self.png))
            #expect(auditor.status == .forbidden)
        }
    }
}

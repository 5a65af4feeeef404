import ChuqingDomain
import ChuqingTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChuqingServer

/// Page forms decoded into form structs by the context's request decoder.
@Suite("Form decoding")
struct FormDecodingTests {
    @Test func aFieldLeftOutIsEmptyAndOnlyATickedBoxIsTrue() throws {
        // act: what a browser sends for the transition form with one condition ticked
        let form = try URLEncodedFormDecoder().decode(
            CasePages.TransitionForm.self, from: "to=withdrawn&on=2026-06-01&propertyInvestigationExhausted=on")
        // check
        #expect(form.to == "withdrawn" && form.on == "2026-06-01" && form.reason == "")
        #expect(form.propertyInvestigationExhausted && !form.noticeServedAndReportOrdered)
        #expect(!form.consumptionRestrictedAndListed && !form.debtorSoughtAndObstructionPunished)
    }

    @Test func anOptionalFieldLeftOutStaysAsItIs() throws {
        // act: a category form that changes the name only
        let form = try URLEncodedFormDecoder().decode(CataloguePages.CategoryForm.self, from: "name=%E4%B8%8D%E5%8A%A8%E4%BA%A7")
        // check: nil keeps the category's value; the unticked box is a decision (disabled)
        #expect(form.name == "不动产" && form.department == nil && form.retries == nil && !form.enabled)
    }

    @Test func theMeasureFormSaysWhichFieldIsWrong() throws {
        let form = try URLEncodedFormDecoder().decode(CasePages.MeasureForm.self, from: "kind=search&on=2026-06-01&quantity=two")
        // act / check
        #expect(throws: DomainError.self) { try form.input() }
        do { _ = try form.input() } catch { #expect(error.field == "quantity" && error.code == "invalid_count") }
    }

    @Test(arguments: TestEngine.available)
    func aBodyTheDecoderCannotReadIsA400ThatSaysSoAndSavesNothing(engine: TestEngine) async throws {
        try await withApp(engine) { client, world in
            let cookie = try await world.cookie(.director)
            let csrf = PageTests.csrf(for: cookie)
            // act: a field name with an unclosed bracket, as no browser sends it
            let response = try await client.execute(
                uri: "/batches", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: ByteBuffer(string: "_csrf=\(csrf)&name%5B=x&courtCode=%E8%B5%A30732"))
            // check
            #expect(response.status == .badRequest)
            #expect(response.text.contains("表单无法解析"))
            let list = try await client.execute(
                uri: "/api/v1/clearance-batches", method: .get, headers: [.authorization: "Bearer \(try await world.token(.director))"])
            #expect(!list.text.contains("\"name\":\"x\""))
        }
    }
}

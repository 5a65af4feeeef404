import Testing

@testable import ChuqingServer

/// Issue 16 item 17: an error shows beside the field it concerns, and the field is marked.
@Suite("Errors beside their field")
struct FieldErrorTests {
    let page = """
        <header><form><input name="on"></form></header><main>
        <form><label>日期<input type="date" name="on" value="x"></label><input name="amount"> <label>备注<input name="note"></label></form></main>
        """

    @Test func theControlInItsLabelIsMarkedAndTheMessageFollowsIt() {
        let marked = FieldError.mark(page, field: "on", message: "日期 <2026-02-30> 无效")
        #expect(
            marked.contains(
                #"<label>日期<input type="date" name="on" aria-invalid="true" aria-describedby="field-error" value="x"><span class="field-error" id="field-error">日期 &lt;2026-02-30&gt; 无效</span></label>"#
            ))
        // the header's own control (the logout form's, say) is never the one marked
        #expect(marked.hasPrefix(#"<header><form><input name="on"></form>"#))
    }

    @Test func aControlOutsideALabelIsMarkedWithoutBorrowingTheNextLabel() {
        let marked = FieldError.mark(page, field: "amount", message: "金额无效")
        #expect(marked.contains(#"<input name="amount" aria-invalid="true" aria-describedby="field-error">"#))
        #expect(!marked.contains("field-error\">金额无效"))
    }

    @Test func aFieldNoControlCarriesLeavesThePageAsItWas() {
        #expect(FieldError.mark(page, field: "deadline", message: "x") == page)
    }
}

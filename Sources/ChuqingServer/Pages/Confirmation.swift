import ChuqingDomain

/// A step that cannot be undone (publishing or approving an issue, discarding a draft, 立执恢,
/// closing a batch, starting a look-up, reversing a payment) asks for confirmation on the page
/// without JavaScript (issue 16 item 14): its form has a box that must be ticked, which the
/// browser enforces with `required` and the handler checks again, since a form can be sent
/// without a browser.
enum Confirmation {
    /// The form field of the box.
    static let field = "confirmed"

    static func require(_ confirmed: Bool, _ action: String) throws(DomainError) {
        guard confirmed else {
            throw DomainError(
                code: "confirmation_required", message: "「\(action)」提交后不能撤回：请勾选确认框后再提交", field: field)
        }
    }
}

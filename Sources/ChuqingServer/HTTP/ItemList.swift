/// The list shape of the API's answers: `{"items": [...], "nextCursor": null}`.
struct ItemList<Item: Encodable>: Encodable {
    let items: [Item]
    let nextCursor: String?
}

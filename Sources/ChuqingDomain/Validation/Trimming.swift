extension StringProtocol {
    /// The text without leading and trailing white space and line breaks (including the
    /// full-width space U+3000 that Chinese input methods type).
    ///
    /// Foundation's `trimmingCharacters(in:)` bridges through NSString on Linux; at 20 fields a row it
    /// was the largest single cost of validating a 100,000-row case export (docs/performance.md).
    public var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}

extension String {
    /// Nil for the empty text: an optional field left blank.
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}

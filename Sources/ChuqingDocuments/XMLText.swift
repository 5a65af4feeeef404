/// Text written into the canonical XML documents. Everything from the database goes through
/// `escape`, so a name containing `<`, `&` or `]]>` is data, never markup.
enum XMLText {
    /// Text for an XML attribute value or element content.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"  // also keeps `]]>` out of element content
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            case "\r": out += "&#13;"
            default:
                // Characters XML 1.0 does not allow (C0 controls, U+FFFE/U+FFFF) are dropped rather than written.
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// `<name>text</name>`, escaped; nothing when `text` is nil or empty.
    static func element(_ name: String, _ text: String?, indent: String) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return "\(indent)<\(name)>\(escape(text))</\(name)>"
    }
}

import Foundation

/// An Atom feed (RFC 4287) announcing published notice issues.
public enum AtomFeed {
    public struct Entry: Sendable {
        public let id: String
        public let title: String
        public let url: String
        public let updated: Date
        public let summary: String

        public init(id: String, title: String, url: String, updated: Date, summary: String) {
            self.id = id
            self.title = title
            self.url = url
            self.updated = updated
            self.summary = summary
        }
    }

    /// The feed document. Links are site-relative paths, resolved by readers against the feed's
    /// own address (RFC 4287 §4.2.7 via RFC 3986): the server never writes a host taken from the
    /// request's Host header into a document that proxies may cache.
    public static func xml(title: String, selfURL: String, pageURL: String, entries: [Entry], updated: Date) -> String {
        let e = XMLText.escape
        let formatter = ISO8601DateFormatter()
        var lines = [#"<?xml version="1.0" encoding="UTF-8"?>"#, #"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">"#]
        lines.append("  <title>\(e(title))</title>")
        lines.append("  <id>urn:chuqing:notices:feed</id>")
        lines.append(#"  <link rel="self" type="application/atom+xml" href="\#(e(selfURL))"/>"#)
        lines.append(#"  <link rel="alternate" type="text/html" href="\#(e(pageURL))"/>"#)
        lines.append("  <updated>\(formatter.string(from: updated))</updated>")
        for entry in entries {
            lines.append("  <entry>")
            lines.append("    <title>\(e(entry.title))</title>")
            lines.append("    <id>urn:uuid:\(e(entry.id))</id>")
            lines.append(#"    <link rel="alternate" type="text/html" href="\#(e(entry.url))"/>"#)
            lines.append("    <updated>\(formatter.string(from: entry.updated))</updated>")
            lines.append("    <summary>\(e(entry.summary))</summary>")
            lines.append("    <author><name>\(e(title))</name></author>")
            lines.append("  </entry>")
        }
        lines.append("</feed>")
        return lines.joined(separator: "\n") + "\n"
    }
}

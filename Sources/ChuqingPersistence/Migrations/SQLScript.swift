/// Splits a migration file into single statements.
///
/// Neither engine runs a multi-statement string safely through its driver (SQLite would run only
/// the first statement; PostgreSQL's extended protocol rejects it), so each statement is sent
/// alone. Semicolons inside quotes, comments, PostgreSQL dollar-quoted bodies (`$$ … $$`) and SQLite
/// trigger bodies (`CREATE TRIGGER … BEGIN … END;`) do not end a statement.
public enum SQLScript {
    /// The statements of `script`, trimmed, without the terminating semicolons; comment-only and
    /// empty pieces are dropped.
    public static func statements(in script: String) -> [String] {
        let chars = Array(script)
        var statements: [String] = []
        var current = ""
        var hasCode = false  // the current piece holds something other than comments and blanks
        var i = 0

        func flush() {
            let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if hasCode && !trimmed.isEmpty { statements.append(trimmed) }
            current = ""
            hasCode = false
        }

        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            switch c {
            case "-" where next == "-":
                while i < chars.count && chars[i] != "\n" {
                    current.append(chars[i])
                    i += 1
                }
                continue
            case "/" where next == "*":
                current.append("/*")
                i += 2
                while i < chars.count && !(chars[i] == "*" && i + 1 < chars.count && chars[i + 1] == "/") {
                    current.append(chars[i])
                    i += 1
                }
                if i < chars.count {
                    current.append("*/")
                    i += 2
                }
                continue
            case "'", "\"":
                hasCode = true
                current.append(c)
                i += 1
                while i < chars.count {
                    current.append(chars[i])
                    if chars[i] == c {
                        // A doubled quote is an escaped quote, not the end.
                        if i + 1 < chars.count && chars[i + 1] == c {
                            current.append(c)
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    i += 1
                }
                continue
            case "$":
                if let tag = dollarTag(chars, at: i) {
                    hasCode = true
                    current.append(contentsOf: tag)
                    i += tag.count
                    while i < chars.count {
                        if chars[i] == "$", Array(chars[i..<min(chars.count, i + tag.count)]) == Array(tag) {
                            current.append(contentsOf: tag)
                            i += tag.count
                            break
                        }
                        current.append(chars[i])
                        i += 1
                    }
                    continue
                }
            case ";":
                if isInsideTriggerBody(current) {
                    current.append(c)
                    i += 1
                    continue
                }
                flush()
                i += 1
                continue
            default:
                break
            }
            if !c.isWhitespace { hasCode = true }
            current.append(c)
            i += 1
        }
        flush()
        return statements
    }

    /// `$tag$` starting at `index`, if one does.
    private static func dollarTag(_ chars: [Character], at index: Int) -> String? {
        var j = index + 1
        while j < chars.count, chars[j] == "_" || chars[j].isLetter || chars[j].isNumber { j += 1 }
        guard j < chars.count, chars[j] == "$" else { return nil }
        if j > index + 1, chars[index + 1].isNumber { return nil }  // `$1` is a parameter
        return String(chars[index...j])
    }

    /// True while `statement` is an SQLite `CREATE TRIGGER` whose `BEGIN … END` is not yet closed.
    private static func isInsideTriggerBody(_ statement: String) -> Bool {
        let words = codeWords(statement)
        guard words.first == "CREATE" else { return false }
        let head = words.prefix(4)
        guard head.contains("TRIGGER") else { return false }
        // A PostgreSQL trigger (`… EXECUTE FUNCTION f();`) has no BEGIN and ends at its semicolon.
        guard let begin = words.firstIndex(of: "BEGIN") else { return false }
        return words.last != "END" || begin == words.count - 1
    }

    /// Upper-cased words of `statement` outside comments and quotes.
    private static func codeWords(_ statement: String) -> [String] {
        var cleaned = ""
        var inLineComment = false
        for line in statement.split(separator: "\n", omittingEmptySubsequences: false) {
            inLineComment = false
            var previous: Character = " "
            for ch in line {
                if inLineComment { break }
                if previous == "-" && ch == "-" {
                    cleaned.removeLast()
                    inLineComment = true
                    continue
                }
                cleaned.append(ch)
                previous = ch
            }
            cleaned.append(" ")
        }
        return cleaned.uppercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
            .map(String.init)
    }
}

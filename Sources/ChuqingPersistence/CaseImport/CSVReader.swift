/// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF line
/// ends; a UTF-8 byte-order mark is dropped.
///
/// Row numbers are the spreadsheet's, as a clerk sees the file in Excel or WPS: a record is one
/// row however many line breaks its quoted fields hold, and a blank line is a (skipped) row, so
/// the same data read from CSV or XLSX is reported on the same rows.
public enum CSVReader {
    /// A record and its spreadsheet row (the first record is row 1).
    public struct Record: Sendable, Equatable {
        public let row: Int
        public let fields: [String]

        public init(row: Int, fields: [String]) {
            self.row = row
            self.fields = fields
        }
    }

    /// A quote was opened and never closed.
    public struct UnterminatedQuote: Error, Equatable {
        public let row: Int

        public init(row: Int) { self.row = row }
    }

    /// The records of `text`; blank lines are skipped.
    public static func records(_ text: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var fieldWasQuoted = false
        var row = 1
        var recordRow = 1
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                records.append(Record(row: recordRow, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.unicodeScalars.append("\"")
                    } else {
                        inQuotes = false
                        pending = next
                    }
                } else {
                    // A line break inside quotes is part of the cell, not a new spreadsheet row.
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r":
                let next = iterator.next()
                if next != "\n" { pending = next }
                endRecord()
                row += 1
                recordRow = row
            case "\n":
                endRecord()
                row += 1
                recordRow = row
            default:
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw UnterminatedQuote(row: recordRow) }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }
}

import Foundation

/// What a person types in the one search box of the case list (issue 16 item 12): part of a case
/// number (“执52号”, “52”), part of a debtor's or applicant's name (“王”, “商贸”), or the last
/// characters of an ID number or credit code (“131X”).
public struct CaseSearchText: Sendable, Equatable {
    public static let maxLength = 40

    /// Trimmed; half-width brackets and digits as case numbers store them (（2023）, ASCII digits);
    /// LIKE's wildcards removed, so a typed “%” or “_” is not a pattern.
    public let text: String
    /// Upper-case, when `text` could be the end of an ID number or credit code: four or more
    /// ASCII letters and digits.
    public let idSuffix: String?

    /// The search for `raw`; nil when nothing is left to look for (blank, or only “%” and “_”).
    public static func parse(_ raw: String, field: String = "q") throws(DomainError) -> CaseSearchText? {
        do {
            return try CaseSearchText(raw, field: field)
        } catch  where error.code == "empty_search" {
            return nil
        }
    }

    public init(_ raw: String, field: String = "q") throws(DomainError) {
        var normalised = ""
        for scalar in raw.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars {
            switch scalar {
            case "%", "_": continue
            case "(": normalised.unicodeScalars.append("（")
            case ")": normalised.unicodeScalars.append("）")
            case "\u{FF10}"..."\u{FF19}", "\u{FF21}"..."\u{FF3A}", "\u{FF41}"..."\u{FF5A}":
                // full-width digits and letters, as some input methods type them
                normalised.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            default: normalised.unicodeScalars.append(scalar)
            }
        }
        guard !normalised.isEmpty else {
            throw DomainError(code: "empty_search", message: "请输入要查找的内容：案号的一部分、姓名或名称的一部分，或证件号码的后 4–6 位", field: field)
        }
        guard normalised.count <= Self.maxLength else {
            throw DomainError(
                code: "invalid_search", message: "查找内容最多 \(Self.maxLength) 个字（收到 \(normalised.count) 个）", field: field)
        }
        text = normalised
        let upper = normalised.uppercased()
        idSuffix =
            upper.count >= 4 && upper.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("A"..."Z").contains($0) }) ? upper : nil
    }
}

import ChuqingDomain
import Foundation
import SQLKit

// Ids are stored as lower-case UUID text and days as 2026-12-02 text, on both engines. SQLKit
// would bind a `UUID` or a `CalendarDate` as whatever its encoder makes of it (a blob on SQLite, a
// uuid on PostgreSQL), and a WHERE clause would quietly match nothing. These overloads, more
// specific than SQLKit's `bind: any Encodable & Sendable`, bind the stored form instead.
extension SQLQueryString {
    public mutating func appendInterpolation(bind value: UUID) {
        appendInterpolation(bind: value.databaseText as any Encodable & Sendable)
    }

    public mutating func appendInterpolation(bind value: UUID?) {
        appendInterpolation(bind: value?.databaseText as any Encodable & Sendable)
    }

    public mutating func appendInterpolation(bind value: CalendarDate) {
        appendInterpolation(bind: value.description as any Encodable & Sendable)
    }

    public mutating func appendInterpolation(bind value: CalendarDate?) {
        appendInterpolation(bind: value?.description as any Encodable & Sendable)
    }
}

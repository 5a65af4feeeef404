import ChuqingDomain
import ChuqingPersistence
import Foundation

extension WorkingDayCalendar {
    /// Reads the calendar data file; start-up stops with the file and line when it is wrong.
    public static func load(_ file: URL) throws -> WorkingDayCalendar {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigurationError(setting: "CHUQING_HOME", value: file.path, reason: "读不到工作日历 \(file.lastPathComponent)")
        }
        do {
            return try WorkingDayCalendar.parse(text, source: file.lastPathComponent)
        } catch {
            throw ConfigurationError(setting: "CHUQING_HOME", value: file.path, reason: error.message)
        }
    }
}

import ChuqingDomain
import Foundation

/// Charts drawn by the server as inline SVG: no scripts, nothing fetched, readable when printed.
enum Charts {
    /// Cleared cases by day against the straight line from the batch's start to its target on the
    /// deadline.
    static func burnUp(_ progress: BatchProgress) -> String {
        let width = 640.0
        let height = 260.0
        let left = 44.0
        let right = 12.0
        let top = 14.0
        let bottom = 30.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let firstDay = progress.startsOn.dayNumber
        let days = max(1, progress.deadline.dayNumber - firstDay)
        let topValue = max(1, progress.targetCases, progress.clearedCases)
        func x(_ date: CalendarDate) -> Double { left + plotWidth * Double(min(max(date.dayNumber - firstDay, 0), days)) / Double(days) }
        func y(_ value: Int) -> Double { top + plotHeight * (1 - Double(value) / Double(topValue)) }
        var svg = svgOpen(
            width: width, height: height,
            label: "燃尽图：截至 \(progress.asOf) 出清 \(progress.clearedCases) 件，目标 \(progress.targetCases) 件")
        // Axes and gridlines at quarters of the target.
        for quarter in 0...4 {
            let value = topValue * quarter / 4
            svg += #"<line x1="\#(f(left))" y1="\#(f(y(value)))" x2="\#(f(width - right))" y2="\#(f(y(value)))" class="grid"/>"#
            svg += #"<text x="\#(f(left - 6))" y="\#(f(y(value) + 4))" class="axis" text-anchor="end">\#(value)</text>"#
        }
        svg += #"<text x="\#(f(left))" y="\#(f(height - 8))" class="axis">\#(escape(progress.startsOn.description))</text>"#
        svg +=
            #"<text x="\#(f(width - right))" y="\#(f(height - 8))" class="axis" text-anchor="end">\#(escape(progress.deadline.description))</text>"#
        // The straight line to the target.
        svg +=
            #"<line x1="\#(f(x(progress.startsOn)))" y1="\#(f(y(0)))" x2="\#(f(x(progress.deadline)))" y2="\#(f(y(progress.targetCases)))" class="target"/>"#
        // Cleared so far, a step line up to the as-of date.
        var points = ["\(f(x(progress.startsOn))),\(f(y(0)))"]
        var previous = 0
        for day in progress.burnUp where day.date <= progress.asOf {
            let at = x(day.date)
            points.append("\(f(at)),\(f(y(previous)))")
            points.append("\(f(at)),\(f(y(day.clearedCases)))")
            previous = day.clearedCases
        }
        points.append("\(f(x(progress.asOf))),\(f(y(previous)))")
        svg += #"<polyline points="\#(points.joined(separator: " "))" class="actual"/>"#
        svg += #"<line x1="\#(f(x(progress.asOf)))" y1="\#(f(top))" x2="\#(f(x(progress.asOf)))" y2="\#(f(y(0)))" class="today"/>"#
        return svg + "</svg>"
    }

    /// One bar per township: its cases in the batch, and how many of them are cleared.
    static func byTownship(_ rows: [BatchProgress.Breakdown]) -> String {
        let rowHeight = 26.0
        let labelWidth = 96.0
        let width = 640.0
        let right = 56.0
        let height = max(rowHeight, rowHeight * Double(rows.count)) + 8
        let most = max(1, rows.map(\.cases).max() ?? 1)
        var svg = svgOpen(
            width: width, height: height,
            label: "各乡镇出清情况：\(rows.map { "\($0.name) \($0.clearedCases)/\($0.cases)" }.joined(separator: "，"))")
        for (index, row) in rows.enumerated() {
            let top = 4 + rowHeight * Double(index)
            let scale = (width - labelWidth - right) / Double(most)
            svg += #"<text x="\#(f(labelWidth - 6))" y="\#(f(top + 17))" class="axis" text-anchor="end">\#(escape(row.name))</text>"#
            svg += #"<rect x="\#(f(labelWidth))" y="\#(f(top + 4))" width="\#(f(scale * Double(row.cases)))" height="18" class="all"/>"#
            svg +=
                #"<rect x="\#(f(labelWidth))" y="\#(f(top + 4))" width="\#(f(scale * Double(row.clearedCases)))" height="18" class="cleared"/>"#
            svg +=
                #"<text x="\#(f(labelWidth + scale * Double(row.cases) + 6))" y="\#(f(top + 17))" class="axis">\#(row.clearedCases)/\#(row.cases)</text>"#
        }
        return svg + "</svg>"
    }

    private static func svgOpen(width: Double, height: Double, label: String) -> String {
        #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \#(f(width)) \#(f(height))" role="img" aria-label="\#(escape(label))"><title>\#(escape(label))</title>"#
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Text for SVG content and attributes.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// The two charts of the report page, as SVG written here (no Graphviz):
/// the ladder of configurations (enabled and long-running instances per
/// rung) and the costliest members (how many members each one alone pulls
/// in, from the dominator tree). Every bar carries its number.
public enum ReportCharts {
    static let font = "font-family=\"Helvetica,Arial,sans-serif\""

    /// One horizontal bar chart: rows of (label, values), one bar per value.
    struct Bars {
        var title: String
        var series: [(name: String, colour: String)]
        var rows: [(label: String, values: [Int])]
        var caption: String

        func svg(id: String) -> String {
            let labelWidth = Double(min(44, max(12, rows.map(\.label.count).max() ?? 12))) * 7 + 12
            let barArea = 420.0
            let barHeight = 14.0, gap = 3.0, rowGap = 10.0
            let rowHeight = Double(series.count) * (barHeight + gap) + rowGap
            let top = 46.0
            let most = max(1, rows.flatMap(\.values).max() ?? 1)
            let width = labelWidth + barArea + 60
            let height = top + Double(rows.count) * rowHeight + 10
            var out = "<svg class=\"chart\" id=\"\(id)\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(Escape.xmlAttribute(title))\">\n"
            out += "<title>\(Escape.xmlText(title))</title>\n"
            out += "<text x=\"4\" y=\"16\" \(ReportCharts.font) font-size=\"14\" font-weight=\"bold\">\(Escape.xmlText(title))</text>\n"
            var lx = 4.0
            for s in series {
                out += "<rect x=\"\(Int(lx))\" y=\"26\" width=\"12\" height=\"12\" fill=\"\(s.colour)\"/>"
                out += "<text x=\"\(Int(lx) + 16)\" y=\"36\" \(ReportCharts.font) font-size=\"12\">\(Escape.xmlText(s.name))</text>\n"
                lx += 16 + Double(s.name.count) * 6.5 + 18
            }
            for (r, row) in rows.enumerated() {
                let y0 = top + Double(r) * rowHeight
                let label = row.label.count > 44 ? String(row.label.prefix(43)) + "…" : row.label
                out += "<text x=\"\(Int(labelWidth) - 6)\" y=\"\(Int(y0 + barHeight - 2))\" text-anchor=\"end\" \(ReportCharts.font) font-size=\"12\"><title>\(Escape.xmlText(row.label))</title>\(Escape.xmlText(label))</text>\n"
                for (k, v) in row.values.enumerated() {
                    let y = y0 + Double(k) * (barHeight + gap)
                    let w = max(1, barArea * Double(v) / Double(most))
                    out += "<rect class=\"bar\" x=\"\(Int(labelWidth))\" y=\"\(Int(y))\" width=\"\(f(w))\" height=\"\(Int(barHeight))\" fill=\"\(series[k].colour)\"><title>\(Escape.xmlText("\(row.label): \(v) \(series[k].name)"))</title></rect>"
                    out += "<text class=\"value\" x=\"\(f(labelWidth + w + 4))\" y=\"\(Int(y + barHeight - 3))\" \(ReportCharts.font) font-size=\"11\">\(v)</text>\n"
                }
            }
            out += "</svg>\n"
            return "<figure class=\"chart\">\n" + out + "<figcaption>\(htmlEscape(caption))</figcaption>\n</figure>\n"
        }

        private func f(_ v: Double) -> String { String((v * 10).rounded() / 10) }
    }

    /// The ladder: per rung, the instances it enables and the long-running ones among them.
    public static func ladder(_ rungs: [Rung]) -> String? {
        guard !rungs.isEmpty else { return nil }
        return Bars(title: "What each rung of the ladder runs",
                    series: [("instances enabled", "#6baed6"), ("long-running", "#fd8d3c")],
                    rows: rungs.map { ("\($0.number). \($0.name)", [$0.started, $0.longRunning.count]) },
                    caption: "From only init to everything SMF ships: the number of instances each configuration enables, and how many of them stay running.")
            .svg(id: "chart-ladder")
    }

    /// The costliest members: how many members each one alone keeps in the closure.
    public static func costliest(_ costs: [ClosureCosts.Member], closureSize: Int) -> String? {
        guard !costs.isEmpty else { return nil }
        return Bars(title: "The members that pull in the most (of \(closureSize))",
                    series: [("members dropped without it (itself included)", "#e6550d")],
                    rows: costs.map { (shortLabel($0.fmri), [$0.removes]) },
                    caption: "Dominator sizes: every chain of dependencies from the request to those members passes through this one.")
            .svg(id: "chart-cost")
    }
}

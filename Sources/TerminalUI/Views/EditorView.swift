import MarginKit

/// The threshold editor (`t`): every alert level, changed live; `w` saves.
enum EditorView {
    static func render(_ state: ThresholdEditorState, thresholds: AlertThresholds, savePath: String, into f: inout Frame) {
        let fields = ThresholdField.allCases
        let r = Panel.open(title: "alert levels — applied at once", width: 70, height: fields.count + 8, into: &f)
        for (i, field) in fields.enumerated() {
            let selected = field == state.field
            // What is being typed shows its end (the cursor side) when longer than the column.
            let typed = (state.typing ?? "") + "_"
            let value = selected && state.typing != nil ? (typed.count > 12 ? "…" + typed.suffix(11) : typed)
                : field.descriptor.text(in: thresholds)
            Panel.line([(Panel.pad(field.descriptor.label, 44), selected ? Style(.normal, bold: true) : .normal),
                                (Panel.padLeft(value, 12), Style(.accent, bold: true))], row: i, in: r, into: &f)
            if selected {
                f.restyle(row: r.y + i, from: r.x, to: r.x + r.width) { Style($0.role, bold: $0.bold, reverse: true) }
            }
        }
        // What the selected level means and may be, from the schema (the file's rules too).
        let d = state.field.descriptor
        Panel.line([(d.help, .dim)], row: fields.count, in: r, into: &f)
        if let bound = d.bound { Panel.line([("must be \(bound.words)", .dim)], row: fields.count + 1, in: r, into: &f) }
        Panel.line([("↑↓ choose  ←→ adjust  enter type  w save  esc close", .dim)], row: fields.count + 2, in: r, into: &f)
        Panel.line([("saves to: ", .dim), (savePath, .normal)], row: fields.count + 3, in: r, into: &f)
        if let error = state.error {
            for (i, line) in Panel.wrap("! " + error, width: r.width, lines: 2).enumerated() {
                Panel.line([(line, Style(.critical, bold: true))], row: fields.count + 4 + i, in: r, into: &f)
            }
        }
    }
}

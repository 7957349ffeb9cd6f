import MarginKit
import Testing

/// One threshold schema: the file and the live editor accept and refuse the same values.
struct ThresholdSchemaTests {
    /// A portfolio whose alerts block sets one level.
    static func file(_ d: ThresholdDescriptor, _ value: String) -> String {
        let leaf = d.path.count == 1 ? "  \(d.path[0]): \(value)\n" : "  \(d.path[0]):\n    \(d.path[1]): \(value)\n"
        return "account: {wallet: 1000}\npositions: []\nalerts:\n" + leaf
    }

    static let probes: [Double] = [-1, 0, 0.5, 1, 1.0001, 1.5, 2, 5, 20, 50, 99.9, 100, 100.5, 999, 1_000, 1_001]

    @Test func theFileAndTheEditorAgreeOnEveryNumber() throws {
        for d in ThresholdSchema.descriptors where d.bound != nil {
            for v in Self.probes {
                // Alone, with its partner moved out of the way so only the bound speaks.
                var base = AlertThresholds()
                for pair in ThresholdSchema.pairs where pair.warn == d.field || pair.critical == d.field {
                    let other = pair.warn == d.field ? pair.critical : pair.warn
                    let partner = pair.warn == d.field ? v.nextDown : v.nextUp
                    if other.descriptor.bound?.contains(partner) == true {
                        base = other.descriptor.applying(.number(partner), to: base)
                    }
                }
                let live = ThresholdSchema.setting(d.field, to: .number(v), in: base)
                var yaml = "account: {wallet: 1000}\npositions: []\nalerts:\n"
                for other in ThresholdSchema.descriptors where other.bound != nil && other.field != d.field {
                    yaml += other.path.count == 1 ? "  \(other.path[0]): \(other.text(in: base))\n" : ""
                }
                let leaves = ThresholdSchema.descriptors.filter { $0.path.count == 2 }
                for key in Set(leaves.map { $0.path[0] }).sorted() {
                    let inner = leaves.filter { $0.path[0] == key }
                        .map { "\($0.path[1]): \($0.field == d.field ? JSONValue.format(v) : $0.text(in: base))" }
                    yaml += "  \(key): {\(inner.joined(separator: ", "))}\n"
                }
                if d.path.count == 1 { yaml += "  \(d.path[0]): \(JSONValue.format(v))\n" }
                let fromFile = Result { try PortfolioLoader.load(text: yaml, name: "p.yaml").portfolio.alerts }
                switch (live, fromFile) {
                case (.success(let a), .success(let b)): #expect(a == b, "\(d.key) = \(v)")
                case (.failure, .failure): break
                default: Issue.record("\(d.key) = \(v): the editor says \(live), the file says \(fromFile)")
                }
            }
        }
    }

    @Test func warnBelowCriticalIsRefusedByBothWithTheRuleSaid() throws {
        let live = ThresholdSchema.setting(.marginRatioWarn, to: .number(1.2), in: AlertThresholds())
        guard case .failure(let e) = live else { Issue.record("accepted"); return }
        #expect(e.message == "margin ratio warn (1.2) must not be below critical (1.5): warn comes first as the number falls")
        #expect(throws: MarginWatchError.self) {
            try PortfolioLoader.load(text: Self.file(ThresholdField.marginRatioWarn.descriptor, "1.2"), name: "p.yaml")
        }
    }

    @Test func theSoftStopActionIsAChoiceNotANumber() throws {
        let d = ThresholdField.softStopAction.descriptor
        #expect(d.value(in: AlertThresholds()) == .action(.alert) && d.bound == nil && d.unit == .choice)
        let flipped = try ThresholdSchema.setting(.softStopAction, to: .action(.closeAll), in: AlertThresholds()).get()
        #expect(flipped.softStopAction == .closeAll && d.text(in: flipped) == "close_all")
    }

    @Test func everyLevelIsDescribedOnceInFileOrder() {
        #expect(ThresholdSchema.descriptors.map(\.field) == ThresholdField.allCases)
        #expect(Set(ThresholdSchema.descriptors.map(\.key)).count == ThresholdField.allCases.count)
        #expect(ThresholdSchema.descriptors.allSatisfy { !$0.label.isEmpty && !$0.help.isEmpty && $0.help.count <= 66 })
    }

    @Test func eachRuleReadsTheLevelsTheSchemaNamesForIt() {
        var t = AlertThresholds()
        // Distinct values everywhere, so a rule reading a neighbour's level shows.
        for (i, d) in ThresholdSchema.descriptors.enumerated() where d.bound != nil {
            t = d.applying(.number(100 + Double(i)), to: t)
        }
        for rule in AlertRule.allCases {
            guard let key = rule.alertsKey else { continue }
            let fields = ThresholdSchema.descriptors.filter { $0.path[0] == key }
            let warn = fields.first { $0.path.count == 1 || $0.path[1] == "warn" }?.number(in: t)
            let critical = fields.first { $0.path.count == 2 && $0.path[1] == "critical" }?.number(in: t)
            let levels = rule.levels(in: t)
            #expect(levels.warn == warn, "\(rule) warn")
            #expect(levels.critical == (critical ?? (fields.count == 1 && fields[0].path.count == 1 ? warn : nil)), "\(rule) critical")
        }
    }

    @Test func typedTextAndTheFileTakeTheSameSpelling() {
        for text in ["0x10", "inf", "nan", "1e400", "1__0", "_1", "", " ", "1,5"] {
            // The level editor and the command line read typed numbers with this.
            #expect(CommandLineValues.decimal(text).map(\.isFinite) != true, "\(text) typed")
            let yaml = "account: {wallet: 1000}\npositions: []\nalerts: {soft_stop_loss_pct: \(text)}\n"
            #expect((try? PortfolioLoader.load(text: yaml, name: "p.yaml")) == nil, "\(text) in the file")
        }
        #expect(CommandLineValues.decimal("2_5") == 25)
        let yaml = "account: {wallet: 1000}\npositions: []\nalerts: {margin_ratio: {warn: 2_5}}\n"
        #expect((try? PortfolioLoader.load(text: yaml, name: "p.yaml"))?.portfolio.alerts.marginRatio.warn == 25)
    }
}

/// The human report of `snapshot`: account block, positions table, alerts, notes.
public enum SnapshotText {
    public static func render(_ e: Evaluation, alerts: [Alert], buffers: MarginBuffers, groups: [GroupShare] = [],
                              source: String, portfolio: Portfolio) -> String {
        var lines = ["marginwatch snapshot — \(source)", ""]
        lines += accountLines(e.account)
        lines += [""] + bufferLines(buffers)
        lines += ["", "POSITIONS"]
        lines += positionsTable(e.positions).lines().map { "  " + $0 }
        lines += ["", "ALERTS"]
        lines += alertLines(alerts)
        lines += ["", "NOTES"]
        for p in e.positions where p.spec.stopLoss == nil {
            lines.append("  \(p.symbol) \(p.spec.side.rawValue) has no stop-loss: every position deserves a hard stop.")
        }
        for g in groups { lines += groupNote(g, positionWarn: portfolio.alerts.positionMMPctWarn) }
        // Without a feed there is no correlation to estimate: say where one bet comes from here.
        let crossSides = Dictionary(grouping: e.positions.filter { $0.spec.margin == .cross }, by: { $0.spec.side })
            .mapValues { Set($0.map(\.symbol)).count }
        if groups.isEmpty, crossSides.values.contains(where: { $0 >= 2 }) {
            lines.append("  Same-direction symbols are judged as one bet here only when declared under groups: "
                + "(watch and replay also link those the feed finds correlated).")
        }
        // Every winner above the level is named; the largest with the account without it.
        let level = portfolio.alerts.profitSharePct
        if let w = e.account.largestProfit, w.equitySharePct > level { lines += winnerNote(w, now: e.account) }
        for p in e.positions where (p.equitySharePct ?? 0) > level
            && !(p.symbol == e.account.largestProfit?.symbol && p.spec.side == e.account.largestProfit?.side) {
            lines.append("  \(p.symbol) \(p.spec.side.rawValue) is propping up the rest too: its profit "
                + "\(NumberFormat.signedMoney(p.unrealizedPnl)) is \(NumberFormat.percent(p.equitySharePct)) of cross equity.")
        }
        lines.append("  Liquidation prices hold every other mark still; the account shock moves all marks at once.")
        lines.append("  Fees and funding are not included.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The account block, as label/value pairs in two columns.
    public static func accountLines(_ a: AccountFigures) -> [String] {
        let pairs: [(String, String, String, String)] = [
            ("Equity (cross)", NumberFormat.money(a.equity), "Wallet", NumberFormat.money(a.wallet)),
            ("Total equity", NumberFormat.money(a.totalEquity), "Collateral value", NumberFormat.money(a.collateralValue)),
            ("Unrealized PnL", NumberFormat.signedMoney(a.unrealizedPnl), "Return on margin",
             NumberFormat.signedPercent(a.returnOnMarginPct)),
            ("Margin ratio", NumberFormat.ratio(a.marginRatio), "MM rate (Binance)", NumberFormat.percent(a.mmRate.map { $0 * 100 }, decimals: 2)),
            ("Maintenance margin", NumberFormat.money(a.maintenanceMargin), "Initial margin", NumberFormat.money(a.initialMargin)),
            ("Free margin", NumberFormat.money(a.freeMargin), "Free margin %", NumberFormat.percent(a.freeMarginPctShown)),
            // Already at or past it, a "move that liquidates" would read as a move that saves.
            ("Shock to liquidation", a.isLiquidated ? "already liquidated" : NumberFormat.signedPercent(a.accountShockPct), "", ""),
        ]
        var table = TextTable(columns: [.init("", .left), .init(""), .init("", .left), .init("")])
        for (k1, v1, k2, v2) in pairs { table.append([k1, v1, "  " + k2, v2]) }
        return ["ACCOUNT  (margin ratio = equity / maintenance margin: healthy above 2, liquidated at 1)"]
            + table.lines().dropFirst().map { "  " + $0 }
    }

    /// A group that is one bet, and its combined maintenance margin.
    public static func groupNote(_ g: GroupShare, positionWarn: Double) -> [String] {
        let share = g.mmPct.map { "together their MM is \(NumberFormat.percent($0, decimals: 2)) of equity" } ?? "equity is 0"
        return ["  \(g.group.name) \(AlertMessages.bet(side: g.group.side, correlation: g.group.correlation)): "
            + "\(share) (one position's warn level: \(NumberFormat.level(positionWarn)))."]
    }

    /// The guides' "winner propping up the rest": its profit's share of equity, and the
    /// account if its symbol fell back to the entry.
    public static func winnerNote(_ w: ProppingWinner, now a: AccountFigures) -> [String] {
        let shock = w.without.liquidated ? "it would be liquidated"
            : w.without.accountShockPct.map { "a \(NumberFormat.signedPercent($0)) move would liquidate it" }
            ?? "no uniform move would liquidate it"
        return [
            "  \(w.symbol) \(w.side.rawValue) is propping up the rest: its profit \(NumberFormat.signedMoney(w.unrealizedPnl)) is "
                + "\(NumberFormat.percent(w.equitySharePct)) of cross equity.",
            "    Back at its entry \(NumberFormat.price(w.entry)): margin ratio \(NumberFormat.ratio(w.without.marginRatio)) "
                + "(now \(NumberFormat.ratio(a.marginRatio))), free margin \(NumberFormat.percent(w.without.freeMarginPct)) "
                + "(now \(NumberFormat.percent(a.freeMarginPctShown))); \(shock).",
            "    Consider taking some of that profit out rather than leaving it as collateral for the other positions.",
        ]
    }

    /// A withdrawal to the cent, rounded down (the safe side).
    public static func withdrawalText(_ v: Double) -> String {
        NumberFormat.money((v * 100 + 1e-6).rounded(.down) / 100)
    }

    /// What the text says when no deposit can clear the warnings.
    public static let noDepositCan = "no deposit can (free margin warn at 100%)"

    /// A deposit to the cent, rounded up (the safe side); `unreachable` when none can clear.
    public static func depositText(_ v: Double?, unreachable: String) -> String {
        // Past a millionth of a cent, so 3,921.1499999… from binary arithmetic still reads 3,921.15.
        v.map { NumberFormat.money(($0 * 100 - 1e-6).rounded(.up) / 100) } ?? unreachable
    }

    /// How much to add to clear the warnings, or may come out without raising one.
    public static func bufferLines(_ b: MarginBuffers) -> [String] {
        // To the cent on the safe side: a deposit rounded up, a withdrawal rounded down.
        func amount(_ v: Double?) -> String { depositText(v, unreachable: noDepositCan) }
        func out(_ v: Double) -> String { withdrawalText(v) }
        var lines = [
            "BUFFERS  (cross account, at these marks and your alert levels)",
            "  Deposit to clear every warning    " + amount(b.depositToClearWarn),
            "  Deposit to clear every critical   " + amount(b.depositToClearCritical),
            "  Withdrawable raising no warning   " + out(b.withdrawableKeepingWarn),
            "  Withdrawable (exchange limit)     " + out(b.withdrawableExchange),
        ]
        if !b.isolatedBelowWarn.isEmpty {
            lines.append("  Isolated \(b.isolatedBelowWarn.joined(separator: ", ")) within the warn distance: "
                + "a cross deposit does not help (add to its own margin)")
        }
        return lines
    }

    public static func positionsTable(_ positions: [PositionFigures]) -> TextTable {
        var table = TextTable(columns: [
            .init("SYMBOL", .left), .init("SIDE", .left), .init("MARGIN", .left), .init("SIZE"), .init("ENTRY"),
            .init("MARK"), .init("NOTIONAL"), .init("UPNL"), .init("ROE"), .init("LEV"), .init("MM"), .init("IM"),
            .init("LIQ PRICE"), .init("LIQ DIST"), .init("STOP"),
        ])
        for p in positions {
            table.append([
                p.symbol, p.spec.side.rawValue, p.spec.margin.rawValue, NumberFormat.quantity(p.spec.size),
                NumberFormat.price(p.spec.entry), NumberFormat.price(p.mark), NumberFormat.money(p.notional),
                NumberFormat.signedMoney(p.unrealizedPnl), NumberFormat.signedPercent(p.roePct),
                NumberFormat.leverage(p.spec.leverage), NumberFormat.money(p.maintenanceMargin),
                NumberFormat.money(p.initialMargin), NumberFormat.price(p.liquidationPrice),
                p.isPastLiquidation ? "PAST" : NumberFormat.signedPercent(p.liquidationDistancePct), NumberFormat.price(p.spec.stopLoss),
            ])
        }
        return table
    }

    public static func alertLines(_ alerts: [Alert]) -> [String] {
        guard !alerts.isEmpty else { return ["  none: every rule is ok"] }
        let sorted = alerts.enumerated().sorted { a, b in
            a.element.level != b.element.level ? a.element.level > b.element.level : a.offset < b.offset
        }.map(\.element)
        var table = TextTable(columns: [.init("LEVEL", .left), .init("RULE", .left), .init("MESSAGE", .left)])
        for a in sorted { table.append([a.level.rawValue.uppercased(), a.rule.rawValue, a.message]) }
        return table.lines().map { "  " + $0 }
    }
}

extension SnapshotText {
    /// `--account`: the exchange's liquidation price of each position beside ours.
    public static func exchangeLiquidations(_ e: Evaluation, checks: [LiquidationCheck]) -> String {
        var out = "\nEXCHANGE LIQUIDATION PRICES (theirs beside ours)\n"
        for (p, check) in zip(e.positions, checks) {
            var line = "  \(p.symbol) \(p.spec.side.rawValue): exchange \(NumberFormat.price(check.exchange)), "
                + "marginwatch \(NumberFormat.price(p.liquidationPrice))"
            if let diff = check.differenceText { line += " \(diff)" }
            if let note = check.note { line += " — differs: \(note)" }
            out += line + "\n"
        }
        return out
    }
}

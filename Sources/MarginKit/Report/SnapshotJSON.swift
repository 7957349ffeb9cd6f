/// The JSON shapes of CONTRACT section 6 for `snapshot` and `stress`.
public enum SnapshotJSON {
    public static func account(_ a: AccountFigures) -> JSONValue {
        .object([
            ("wallet", .number(a.wallet)),
            ("collateral_value", .number(a.collateralValue)),
            ("unrealized_pnl", .number(a.unrealizedPnl)),
            ("equity", .number(a.equity)),
            ("total_equity", .number(a.totalEquity)),
            ("initial_margin", .number(a.initialMargin)),
            ("maintenance_margin", .number(a.maintenanceMargin)),
            ("margin_ratio", .number(a.marginRatio)),
            ("mm_rate", .number(a.mmRate)),
            ("free_margin", .number(a.freeMargin)),
            ("free_margin_pct", .number(a.freeMarginPct)),
            ("account_shock_pct", .number(a.accountShockPct)),
            ("return_on_margin_pct", .number(a.returnOnMarginPct)),
            ("without_largest_profit", a.largestProfit.map(winner) ?? .null),
        ])
    }

    /// The largest cross winner and the account without its profit.
    public static func winner(_ w: ProppingWinner) -> JSONValue {
        .object([
            ("symbol", .string(w.symbol)),
            ("side", .string(w.side.rawValue)),
            ("entry", .number(w.entry)),
            ("unrealized_pnl", .number(w.unrealizedPnl)),
            ("equity_share_pct", .number(w.equitySharePct)),
            ("equity", .number(w.without.equity)),
            ("margin_ratio", .number(w.without.marginRatio)),
            ("free_margin_pct", .number(w.without.freeMarginPct)),
            ("account_shock_pct", .number(w.without.accountShockPct)),
        ])
    }

    /// A group of symbols that is one bet.
    public static func group(_ g: GroupShare) -> JSONValue {
        .object([
            ("symbols", .array(g.group.symbols.map { .string($0) })),
            ("side", .string(g.group.side.rawValue)),
            ("correlation", .number(g.group.correlation)),
            ("mm_pct", .number(g.mmPct)),
        ])
    }

    public static func position(_ p: PositionFigures, check: LiquidationCheck) -> JSONValue {
        guard case .object(var fields) = position(p) else { return position(p) }
        fields.append(("exchange_liquidation_price", .number(check.exchange)))
        fields.append(("exchange_liquidation_diff_pct", .number(check.differencePct)))
        fields.append(("exchange_liquidation_note", check.note.map { .string($0) } ?? .null))
        return .object(fields)
    }

    public static func position(_ p: PositionFigures) -> JSONValue {
        .object([
            ("symbol", .string(p.symbol)),
            ("side", .string(p.spec.side.rawValue)),
            ("margin", .string(p.spec.margin.rawValue)),
            ("size", .number(p.spec.size)),
            ("entry", .number(p.spec.entry)),
            ("mark", .number(p.mark)),
            ("leverage", .number(p.spec.leverage)),
            ("notional", .number(p.notional)),
            ("unrealized_pnl", .number(p.unrealizedPnl)),
            ("roe_pct", .number(p.roePct)),
            ("initial_margin", .number(p.initialMargin)),
            ("maintenance_margin", .number(p.maintenanceMargin)),
            ("mmr", .number(p.mmr)),
            ("cum", .number(p.cum)),
            ("liquidation_price", .number(p.liquidationPrice)),
            ("liquidation_distance_pct", .number(p.liquidationDistancePct)),
            ("stop_loss", .number(p.spec.stopLoss)),
            ("isolated_margin", .number(p.spec.isolatedMargin)),
            ("equity_share_pct", .number(p.equitySharePct)),
        ])
    }

    public static func alert(_ a: Alert) -> JSONValue {
        .object([
            ("rule", .string(a.rule.rawValue)),
            ("level", .string(a.level.rawValue)),
            ("symbol", .string(a.symbol)),
            ("value", .number(a.value)),
            ("threshold", .number(a.threshold)),
            ("message", .string(a.message)),
        ])
    }

    /// `snapshot --json`.
    /// - Parameter checks: per position (same order), the exchange's liquidation price beside
    ///   ours (`--account binance`); absent otherwise, and then so are the fields.
    public static func snapshot(_ e: Evaluation, alerts: [Alert], buffers: MarginBuffers, groups: [GroupShare] = [],
                                checks: [LiquidationCheck]? = nil) -> JSONValue {
        .object([
            ("account", account(e.account)),
            ("positions", .array(e.positions.enumerated().map { i, p in
                guard let checks, i < checks.count else { return position(p) }
                return position(p, check: checks[i])
            })),
            ("alerts", .array(alerts.map(alert))),
            ("buffers", self.buffers(buffers)),
            ("groups", .array(groups.map(group))),
        ])
    }

    /// How much to add or may come out, in the quote currency (`Engine.buffers`).
    public static func buffers(_ b: MarginBuffers) -> JSONValue {
        .object([
            ("deposit_to_clear_warn", .number(b.depositToClearWarn)),
            ("deposit_to_clear_critical", .number(b.depositToClearCritical)),
            ("withdrawable_keeping_warn", .number(b.withdrawableKeepingWarn)),
            ("withdrawable_exchange", .number(b.withdrawableExchange)),
        ])
    }

    /// `stress --json`.
    public static func stress(_ report: StressReport) -> JSONValue {
        .object([
            ("account_shock_pct", .number(report.accountShockPct)),
            ("rows", .array(report.rows.map { row in
                .object([
                    ("shock_pct", .number(row.shockPct)),
                    ("account", account(row.evaluation.account)),
                    ("liquidated", .bool(row.liquidated)),
                    ("isolated_liquidated", .array(row.isolatedLiquidated.map { .string($0) })),
                    ("stops_hit", .array(row.stopsHit.map { .string($0) })),
                    ("buffers", row.buffers.map(buffers) ?? .null),
                ])
            })),
        ])
    }
}

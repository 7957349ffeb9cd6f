/// The JSON lines of `replay --headless --json` (CONTRACT section 6).
public enum TimelineJSON {
    public static func event(_ e: SessionEvent) -> JSONValue {
        switch e {
        case .alert(let a):
            var fields: [(String, JSONValue)] = [
                ("type", .string("alert")), ("time", .string(TimeText.iso(a.time))), ("rule", .string(a.rule.rawValue)),
                ("level", .string(a.level.rawValue)), ("state", .string(a.state.rawValue)), ("symbol", .string(a.symbol)),
                ("value", .number(a.value)), ("threshold", .number(a.threshold)),
            ]
            // A group's members and how it is linked (`symbol` is their names joined by +).
            if let g = a.group {
                fields += [("symbols", .array(g.symbols.map { .string($0) })), ("side", .string(g.side.rawValue)),
                           ("correlation", .number(g.correlation)), ("dissolved", .bool(g.dissolved))]
            }
            return .object(fields)
        case let .stopLoss(time, symbol, price, realized):
            return .object([
                ("type", .string("stop_loss")), ("time", .string(TimeText.iso(time))), ("symbol", .string(symbol)),
                ("price", .number(price)), ("realized_pnl", .number(realized)),
            ])
        case let .softStop(time, loss, _):
            return .object([("type", .string("soft_stop")), ("time", .string(TimeText.iso(time))), ("loss_pct", .number(loss))])
        case let .liquidation(time, scope, symbol, equity, mm):
            return .object([
                ("type", .string("liquidation")), ("time", .string(TimeText.iso(time))), ("scope", .string(scope.rawValue)),
                ("symbol", .string(symbol)), ("equity", .number(equity)), ("maintenance_margin", .number(mm)),
            ])
        }
    }

    public static func summary(_ s: SessionSummary) -> JSONValue {
        func time(_ t: Int64?) -> JSONValue { .string(t.map(TimeText.iso)) }
        return .object([
            ("type", .string("summary")), ("ticks", .number(Double(s.ticks))), ("bad_lines", .number(Double(s.badLines))),
            ("first_time", time(s.firstTime)), ("last_time", time(s.lastTime)),
            ("baseline_equity", .number(s.baselineEquity)), ("final_total_equity", .number(s.finalTotalEquity)),
            ("min_margin_ratio", .number(s.minMarginRatio)), ("min_margin_ratio_time", time(s.minMarginRatioTime)),
            ("first_warn_time", time(s.firstWarnTime)), ("first_critical_time", time(s.firstCriticalTime)),
            ("soft_stop_time", time(s.softStopTime)), ("liquidation_time", time(s.liquidationTime)),
            ("stops_hit", .array(s.stopsHit.map { .string($0) })), ("max_drawdown_pct", .number(s.maxDrawdownPct)),
        ])
    }
}

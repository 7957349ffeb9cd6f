#!/usr/bin/env python3
"""The replay benchmark's peer: the same job written the way a data engineer would, with polars.

Reads a native tape (time,symbol,price), pivots it to one row per time and one column per
symbol, forward-fills the marks, then computes every position's notional, uPnL and bracketed
maintenance margin as vectorised columns, the cross account's equity, maintenance margin and
margin ratio per time step, and the first times the ratio warns, goes critical and liquidates,
and when each stop-loss is first crossed. (Unlike marginwatch it does not close positions after
a stop or a liquidation, nor apply hysteresis: it is the fast vectorised approximation.)

usage: replay_polars.py TAPE PORTFOLIO.yaml
"""
import sys
import time

import numpy as np
import polars as pl
import yaml

# Built-in brackets (docs/formulas.md): floor, mmr, cum.
BUILTIN = {
    "BTCUSDT": [(0, 0.004, 0), (50_000, 0.005, 50), (600_000, 0.0065, 950), (3_000_000, 0.01, 11_450),
                (12_000_000, 0.02, 131_450), (70_000_000, 0.025, 481_450), (100_000_000, 0.05, 2_981_450),
                (230_000_000, 0.10, 14_481_450), (480_000_000, 0.125, 26_481_450), (600_000_000, 0.15, 41_481_450),
                (800_000_000, 0.25, 121_481_450), (1_200_000_000, 0.50, 421_481_450)],
    "ETHUSDT": [(0, 0.004, 0), (50_000, 0.005, 50), (600_000, 0.0065, 950), (3_000_000, 0.01, 11_450),
                (12_000_000, 0.02, 131_450), (50_000_000, 0.025, 381_450), (65_000_000, 0.05, 2_006_450),
                (150_000_000, 0.10, 9_506_450), (320_000_000, 0.125, 17_506_450), (400_000_000, 0.15, 27_506_450),
                (530_000_000, 0.25, 80_506_450), (800_000_000, 0.50, 280_506_450)],
}


def brackets(portfolio, symbol):
    spec = (portfolio.get("instruments") or {}).get(symbol)
    if spec is None:
        return BUILTIN[symbol]
    if "maintenance_rate" in spec:
        return [(0, spec["maintenance_rate"], 0)]
    rows, prev = [], None
    for tier in spec["tiers"]:
        cum = tier.get("cum")
        if cum is None:
            cum = 0 if prev is None else prev[2] + tier["floor"] * (tier["mmr"] - prev[1])
        prev = (tier["floor"], tier["mmr"], cum)
        rows.append(prev)
    return rows


def main():
    tape, portfolio_path = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    portfolio = yaml.safe_load(open(portfolio_path))
    positions = [p for p in portfolio["positions"] if p.get("margin", "cross") == "cross"]
    wallet = portfolio["account"]["wallet"]

    ticks = pl.read_csv(tape, schema={"time": pl.Int64, "symbol": pl.Utf8, "price": pl.Float64})
    marks = ticks.pivot(on="symbol", index="time", values="price", aggregate_function="last").sort("time")
    marks = marks.fill_null(strategy="forward")
    for p in positions:  # before a symbol's first tick its mark is the position's mark, else its entry
        marks = marks.with_columns(pl.col(p["symbol"]).fill_null(p.get("mark", p["entry"])))

    times = marks["time"].to_numpy()
    upnl = np.zeros(len(marks))
    mm = np.zeros(len(marks))
    stops = {}
    for p in positions:
        price = marks[p["symbol"]].to_numpy()
        sign = 1.0 if p["side"] == "long" else -1.0
        notional = p["size"] * price
        table = np.array(brackets(portfolio, p["symbol"]), dtype=float)
        k = np.searchsorted(table[:, 0], notional, side="right") - 1
        mm += notional * table[k, 1] - table[k, 2]
        upnl += sign * p["size"] * (price - p["entry"])
        if "stop_loss" in p:
            hit = price <= p["stop_loss"] if sign > 0 else price >= p["stop_loss"]
            stops[p["symbol"]] = int(times[np.argmax(hit)]) if hit.any() else None
    equity = wallet + upnl
    ratio = np.where(mm > 0, equity / np.where(mm > 0, mm, 1), np.inf)

    def first(mask):
        return int(times[np.argmax(mask)]) if mask.any() else None

    summary = {
        "ticks": len(ticks), "steps": len(marks),
        "min_margin_ratio": float(ratio.min()), "min_margin_ratio_time": int(times[np.argmin(ratio)]),
        "first_warn_time": first(ratio < 2.0), "first_critical_time": first(ratio < 1.5),
        "liquidation_time": first(ratio <= 1.0), "stops": stops,
    }
    elapsed = time.perf_counter() - started
    print(summary)
    print(f"polars peer: {len(ticks)} ticks in {elapsed:.3f} s = {len(ticks) / elapsed / 1e6:.1f} M ticks/s")


if __name__ == "__main__":
    main()

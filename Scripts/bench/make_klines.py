#!/usr/bin/env python3
"""Writes a year of 1-minute Binance USD-M kline CSVs (with the futures header) for BTCUSDT and
ETHUSDT, from a seeded random walk, for the klines-path benchmark.

usage: make_klines.py OUTDIR
"""
import os
import random
import sys

HEADER = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n"


def write(path, start_price, seed, minutes=525_600, t0=1_704_067_200_000):
    rng = random.Random(seed)
    price = start_price
    with open(path, "w") as f:
        f.write(HEADER)
        rows = []
        for i in range(minutes):
            t = t0 + i * 60_000
            o = price
            c = max(o * (1 + rng.gauss(0, 0.0008)), 1)
            h = max(o, c) * (1 + abs(rng.gauss(0, 0.0003)))
            lo = min(o, c) * (1 - abs(rng.gauss(0, 0.0003)))
            rows.append(f"{t},{o:.1f},{h:.1f},{lo:.1f},{c:.1f},12.345,{t + 59_999},0,100,6.1,0,0\n")
            price = c
            if len(rows) == 10_000:
                f.writelines(rows)
                rows = []
        f.writelines(rows)


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "BTCUSDT-1m-2024.csv"), 42_000.0, 1)
    write(os.path.join(out, "ETHUSDT-1m-2024.csv"), 2_300.0, 2)

#!/usr/bin/env python3
"""Writes a native tape whose times advance 0-3 ms per tick, as trade and mark-price streams do:
nearly every tick is its own time step (the hard case for per-step work).
Usage: make_sparse.py OUT [TICKS]  (default 3,000,000 ticks of BTC, ETH, SOL and BNB, seed 11)."""
import random
import sys

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 3_000_000
rng = random.Random(11)
symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT"]
prices = [66000.0, 3300.0, 150.0, 600.0]
time = 1_704_067_200_000
with open(out, "w") as f:
    f.write("time,symbol,price\n")
    lines = []
    for i in range(count):
        time += rng.randint(0, 3)
        s = rng.randrange(4)
        prices[s] *= 1 + rng.gauss(0, 0.0002)
        lines.append(f"{time},{symbols[s]},{prices[s]:.2f}\n")
        if len(lines) == 100_000:
            f.writelines(lines)
            lines.clear()
    f.writelines(lines)

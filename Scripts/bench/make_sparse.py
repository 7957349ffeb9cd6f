#!/usr/bin/env python3
"""Writes a native tape whose times advance 0-3 ms per tick, as trade and mark-price streams do:
nearly every tick is its own time step (the hard case for per-step work).
Usage: make_sparse.py OUT [TICKS]  (default 3,000,000 ticks of BTC, ETH, SOL and BNB, seed 11)."""
import random
import sys


def write_sparse_tape(out, symbols, prices, count, rng, decimals):
    """Ticks of random symbols on random walks (prices moved in place), times 0-3 ms apart."""
    time = 1_704_067_200_000
    with open(out, "w") as f:
        f.write("time,symbol,price\n")
        lines = []
        for _ in range(count):
            time += rng.randint(0, 3)
            s = rng.randrange(len(symbols))
            prices[s] *= 1 + rng.gauss(0, 0.0002)
            lines.append(f"{time},{symbols[s]},{prices[s]:.{decimals}f}\n")
            if len(lines) == 100_000:
                f.writelines(lines)
                lines.clear()
        f.writelines(lines)


if __name__ == "__main__":
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3_000_000
    write_sparse_tape(sys.argv[1], ["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT"],
                      [66000.0, 3300.0, 150.0, 600.0], count, random.Random(11), decimals=2)

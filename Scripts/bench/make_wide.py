#!/usr/bin/env python3
"""Writes the wide-book benchmark: a 50-position cross book on 50 symbols (half long, half short,
each with a stop far away) and a native tape of those symbols whose times advance 0-3 ms a tick.
Usage: make_wide.py BOOK_OUT TAPE_OUT [TICKS]  (default 3,000,000 ticks, seed 13)."""
import random
import sys

from make_sparse import write_sparse_tape

book_out, tape_out = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 3_000_000
rng = random.Random(13)
symbols = [f"W{k:02d}USDT" for k in range(50)]
prices = [rng.uniform(1, 1000) for _ in symbols]
with open(book_out, "w") as f:
    f.write("# The wide benchmark book: 50 cross positions on 50 symbols (written by make_wide.py).\n")
    f.write("account:\n  wallet: 200000\npositions:\n")
    for k, (symbol, price) in enumerate(zip(symbols, prices)):
        side = "long" if k % 2 == 0 else "short"
        stop = price * (0.5 if side == "long" else 1.5)
        size = round(2000 / price, 4)
        f.write(f"  - {{symbol: {symbol}, side: {side}, size: {size}, entry: {price:.4f}, leverage: 5, stop_loss: {stop:.4f}}}\n")
    f.write("instruments:\n")
    for symbol in symbols:
        f.write(f"  {symbol}: {{maintenance_rate: 0.01}}\n")
    f.write("alerts:\n  soft_stop_loss_pct: 90\n")
write_sparse_tape(tape_out, symbols, prices, count, rng, decimals=4)

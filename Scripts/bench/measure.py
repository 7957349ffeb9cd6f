#!/usr/bin/env python3
"""Runs a command several times with its output discarded; prints the best wall time in
seconds and the peak resident memory in KiB of the child processes.

usage: measure.py RUNS COMMAND [ARG...]
"""
import resource
import subprocess
import sys
import time

runs = int(sys.argv[1])
best = float("inf")
for _ in range(runs):
    start = time.perf_counter()
    result = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    best = min(best, time.perf_counter() - start)
    if result.returncode not in (0, 3):
        sys.exit(f"measure: {sys.argv[2:]} exited {result.returncode}")
print(f"{best:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")

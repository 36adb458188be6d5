#!/usr/bin/env python3
"""Part 5 of bench/run.sh: in a running `casebook serve`, the time from saving a
record to its page, served with the change. Saves the newest record's title
SAVES times, waiting between saves for mdBook's own rebuild of the whole book,
and prints each time and the median. A browser showing the page reloads within
casebook.js's poll interval (200 ms) after that.

Usage: serve_probe.py PORT PROJECT_DIR [SAVES]"""
import pathlib
import re
import sys
import time
import urllib.request

port, root = sys.argv[1], pathlib.Path(sys.argv[2])
saves = int(sys.argv[3]) if len(sys.argv) > 3 else 5
record = sorted((root / "incidents").glob("*.toml"))[-1]
page = f"incidents/{record.stem}.html"


def get(path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as r:
            return r.read().decode()
    except Exception:
        return ""


deadline = time.time() + 300
while "<main>" not in get(page):
    if time.time() > deadline:
        sys.exit("the page was never served")
    time.sleep(0.2)
time.sleep(2)
times = []
for i in range(saves):
    marker = f"Saved {i} at {time.time():.3f}"
    text = re.sub(r'^title = ".*"$', f'title = "{marker}"', record.read_text(), count=1, flags=re.M)
    start = time.time()
    record.write_text(text)
    while marker not in get(page):
        if time.time() - start > 120:
            sys.exit("the page never showed the change")
        time.sleep(0.01)
    times.append(time.time() - start)
    # The next save comes while mdBook may still be rebuilding: as a writer's would.
    time.sleep(4)
print("save -> page served with the change: " + ", ".join(f"{t:.2f} s" for t in times))
print(f"median {sorted(times)[len(times) // 2]:.2f} s")

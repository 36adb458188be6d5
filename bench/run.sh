#!/usr/bin/env bash
# Reproducible benchmarks: casebook against the Python + Jinja2 baseline and the
# I/O floor, as ratios measured in the same run (absolute times drift on shared
# machines). Usage: bench/run.sh [N_RECORDS] [N_COMMITS]   (defaults 10000 100000)
# SECTIONS=134 runs only those parts (default 123456; 6 is import, IMPORT_COPIES=100). BENCH_DELETE=1 deletes the previous
# run's files right before each cold run instead of moving them aside (see part 1).
# Needs: python3 with jinja2 (pip install jinja2), hyperfine (apt-get install hyperfine), git.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# The generator and the baseline live beside this script (copied from the steering
# repository's shared/bench, where they are maintained).
shared="$here/bench"
n="${1:-10000}"
commits="${2:-100000}"
work="${BENCH_DIR:-/tmp/casebook-bench}"
runs="${RUNS:-5}"
sections="${SECTIONS:-123456}"

command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)"; exit 2; }
python3 -c 'import jinja2' 2>/dev/null || { echo "needs jinja2 (pip install jinja2)"; exit 2; }

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --example toml_floor
cb="$here/target/release/casebook"
# What the toml crate alone costs: every record parsed into a plain table, both cores.
toml_floor="$here/target/release/examples/toml_floor"
# A previous run's folder is moved aside and deleted at the end, not now (see part 1).
if [ -e "$work" ]; then mv "$work" "$work.old.$$"; trap 'rm -rf "$work.old.$$"' EXIT; fi
mkdir -p "$work"
cd "$work"

echo "== a git history of $commits commits (git fast-import), records citing $((n * 5)) of them"
git init --quiet repo
python3 - "$commits" > fast-import.txt <<'PY'
import sys
n = int(sys.argv[1])
out = sys.stdout
for i in range(n):
    msg = f"change {i}" + (f"\n\nIncident: INC-2019-{i % 10000:05d}\n" if i % 50 == 0 else "")
    data = msg.encode()
    out.write(f"commit refs/heads/main\nmark :{i + 1}\ncommitter Bench <bench@example.com> {1_500_000_000 + i * 60} +0000\n")
    out.write(f"data {len(data)}\n{msg}\n")
    if i:
        out.write(f"from :{i}\n")
    out.write(f"M 644 inline f{i % 100}\ndata {len(str(i))}\n{i}\n\n")
PY
git -C repo fast-import --quiet < fast-import.txt
git -C repo symbolic-ref HEAD refs/heads/main
git -C repo rev-list --all > shas.txt 2>/dev/null || git -C repo rev-list main > shas.txt
mv shas.txt repo.shas
python3 "$shared/gen_records.py" --n "$n" --out repo/incidents --shas repo.shas
cp -r repo/incidents incidents
echo "records: $(ls incidents | wc -l), $(du -sh incidents | cut -f1)"

# Also timed: the large-archive setting, newest 500 incidents with pages of their
# own, older months grouped into archive pages.
mkdir -p archived && ln -sfn ../incidents archived/incidents
printf '[book]\nincident_pages = 500\n' > archived/casebook.toml

if [[ $sections == *1* ]]; then
echo
echo "== 1. $n records to book source: casebook vs baseline vs floor (cold, alternating)"
# The floor reads every record and writes the files a build writes, as many and of
# the same sizes: a copy of casebook's own output, made here, untimed.
rm -rf floor-book book && "$cb" -C "$work" build --today 2026-01-01 -q && mv book floor-book
echo "floor: $(find floor-book -type f | wc -l) files, $(du -sh --apparent-size floor-book | cut -f1)"
# Before each run the previous run's output is moved aside, and all of it is deleted
# after the last run. Deleting 10,000 files just before a run would time the
# filesystem instead: ext4 without a journal (this machine's /tmp) skips every inode
# freed in the last 30 s (vm.dirty_expire_centisecs) when it creates a file, so a
# run right after a mass delete pays a scan per file created, and the floor varied
# threefold. BENCH_DELETE=1 measures that case.
mkdir -p trash
if [[ ${BENCH_DELETE:-0} == 1 ]]; then
  echo 'rm -rf book out copy archived/book' > prepare.sh
else
  echo 'for d in book out copy archived/book; do [ -e "$d" ] && mv "$d" "trash/$(date +%s%N)"; done; true' > prepare.sh
fi
hyperfine -N -w 1 -r "$runs" --export-markdown build.md \
  -p 'sh prepare.sh' \
  -n casebook "$cb -C $work build --today 2026-01-01 -q" \
  -n "casebook, [book] incident_pages = 500 (month archive pages)" "$cb -C $work/archived build --today 2026-01-01 -q" \
  -n baseline "python3 $shared/baseline_render.py incidents out" \
  -n floor "sh -c 'cat incidents/*.toml > /dev/null && cp -r floor-book copy'" \
  -n "toml crate, parse only (both cores, no output)" "$toml_floor incidents"
rm -rf trash floor-book book out copy archived/book
fi

if [[ $sections == *2* ]]; then
echo
echo "== 2. rebuild with nothing changed vs parsing the records"
rm -rf book && "$cb" -C "$work" build --today 2026-01-01 -q
cat > parse_only.py <<'PY'
import os, sys, tomllib
d = sys.argv[1]
for n in sorted(os.listdir(d)):
    with open(os.path.join(d, n), "rb") as f:
        tomllib.load(f)
PY
hyperfine -N -w 1 -r "$runs" --export-markdown rebuild.md \
  -i -n "casebook rebuild, nothing changed" "$cb -C $work build --today 2026-01-01 -q" \
  -n "casebook parse + check (no output)" "$cb -C $work check --today 2026-01-01 -q --format json" \
  -n "python tomllib parse only" "python3 parse_only.py incidents"
fi

if [[ $sections == *3* ]]; then
echo
echo "== 3. git: resolve the cited shas and scan $commits commits for incident ids"
awk -v n=$((n * 5)) 'NR <= n { print substr($0, 1, 7) }' repo.shas > cited.txt
hyperfine -N -w 1 -r "$runs" -i --export-markdown git.md \
  -n "casebook commits (parse + resolve + history scan)" "$cb -C $work/repo commits --today 2026-01-01 -q --format json" \
  -n "floor: git cat-file --batch-check" "sh -c 'git -C repo cat-file --batch-check < cited.txt > /dev/null'" \
  -n "floor: git log messages" "sh -c 'git -C repo log --format=%B > /dev/null'"
"$cb" -C "$work/repo" -v check --today 2026-01-01 -q --format json > /dev/null 2> phases.txt || true
grep -E "load records|git:" phases.txt || true
fi

if [[ $sections == *4* ]]; then
echo
html_n="${HTML_RECORDS:-500}"
echo "== 4. build --html on $html_n records vs mdBook alone on the same pages"
if command -v "${CASEBOOK_MDBOOK:-mdbook}" >/dev/null; then
  mdbook="${CASEBOOK_MDBOOK:-mdbook}"
  rm -rf html && mkdir -p html/incidents
  files=(incidents/*.toml)
  cp "${files[@]:0:$html_n}" html/incidents/
  "$cb" -C "$work/html" build -q --today 2026-01-01
  rm -rf pages && cp -r html/book pages
  # Outputs are moved aside before each run and deleted at the end, as in part 1:
  # deleting casebook's run (sources and HTML) right before it made it pay for
  # twice the deleted files that mdBook's run (HTML only) paid for.
  mkdir -p trash
  if [[ ${BENCH_DELETE:-0} == 1 ]]; then
    echo "rm -rf $work/html/book" > prepare-html.sh
    echo "rm -rf $work/pages/book" > prepare-pages.sh
  else
    echo "[ -e $work/html/book ] && mv $work/html/book trash/h\$(date +%s%N); true" > prepare-html.sh
    echo "[ -e $work/pages/book ] && mv $work/pages/book trash/p\$(date +%s%N); true" > prepare-pages.sh
  fi
  hyperfine -N -w 1 -r "$runs" --export-markdown html.md \
    -p "sh prepare-html.sh" -p "sh prepare-pages.sh" \
    -n "casebook build --html (records to HTML, cold)" "$cb -C $work/html build --html -q --today 2026-01-01" \
    -n "mdbook build (the same pages)" "$mdbook build $work/pages"
  rm -rf trash
else
  echo "(skipped: no mdbook on the PATH)"
fi
fi

if [[ $sections == *5* ]]; then
echo
serve_n="${SERVE_RECORDS:-1000}"
echo "== 5. casebook serve on $serve_n records: saving a record to its page served with the change"
if command -v "${CASEBOOK_MDBOOK:-mdbook}" >/dev/null; then
  rm -rf serve && mkdir -p serve/incidents
  files=(incidents/*.toml)
  cp "${files[@]:0:$serve_n}" serve/incidents/
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  CASEBOOK_TODAY=2026-01-01 "$cb" -C "$work/serve" -q serve --port "$port" --hostname 127.0.0.1 > serve.log 2>&1 &
  serve_pid=$!
  python3 "$shared/serve_probe.py" "$port" "$work/serve" "${RUNS:-5}" | tee serve.md || true
  kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
else
  echo "(skipped: no mdbook on the PATH)"
fi
fi

if [[ $sections == *6* ]]; then
echo
copies="${IMPORT_COPIES:-100}"
echo "== 6. casebook import of real postmortems: the 16 test documents (seed, templates, corpus) x $copies"
rm -rf import-src && mkdir -p import-src
for i in $(seq 1 "$copies"); do
  for f in "$here"/tests/fixtures/import/*.md "$here"/tests/fixtures/import/corpus/*.md; do
    cp "$f" "import-src/$i-$(basename "$f")"
  done
done
echo "documents: $(ls import-src | wc -l), $(du -sh import-src | cut -f1)"
# import never overwrites: each run writes into a fresh folder.
echo 'rm -rf import-out; mkdir import-out' > prepare-import.sh
hyperfine -N -w 1 -r "$runs" --export-markdown import.md -p "sh prepare-import.sh" \
  -n "casebook import (folder, batch)" "$cb -C $work -q import import-src -o import-out"
fi

echo
echo "Tables: $work/build.md $work/rebuild.md $work/git.md $work/html.md $work/serve.md $work/import.md"

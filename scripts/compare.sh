#!/usr/bin/env bash
# Compare smf-minimize with its baselines, side by side on the same files.
#
#   scripts/compare.sh [--runs N] [--runs-large N] [--sizes "1000 10000 100000"] [--no-corpora]
#                      [--tools "xmllint python inventory closure report stages"] [--work DIR] [--no-build] [--quick]
#                      [--baseline BIN] [--interleave]
#
# For each data set (the illumos-gate + oi-userland corpora together, and
# synthetic trees of each size from scripts/gen-synthetic.py, seed 1), it
# times as whole processes, best of N runs after one warm-up run (hyperfine
# when installed, else a Python loop; for trees of 50,000 services or more,
# --runs-large runs and no warm-up, default 2), and records each one's peak
# RSS in one more run with /usr/bin/time:
#
#   xmllint --noout FILES...        the floor: libxml2 parsing only, one core
#   scripts/naive_closure.py        what a user would write (xml.etree + BFS)
#   smf-minimize inventory PATHS    read + merge + counts
#   smf-minimize closure ...        read + merge + graph + one closure (when the command exists)
#   smf-minimize report ...         the whole analysis and its summary (no -o: no files written)
#
# and, in one process, the stages (walk, read, merge, load, graph, closure)
# with Benchmarks' smf-stages. It prints a Markdown table with ratios to
# xmllint and to the Python script, and the time per service from 1k to 100k,
# and writes it to WORK/results.md. docs/PERFORMANCE.md explains the figures.
#
# smf-minimize is the static release build (.build-static, made here
# unless --no-build; SMF_COMPARE_BIN=PATH times another binary instead).
# --baseline BIN also times another build of smf-minimize (an older commit's
# release binary) as inventory-base / closure-base / report-base, for the
# tools asked for. --interleave times the tools of a data set in rounds
# (warm-up, then RUNS rounds, each running every tool once, the order
# rotated each round), so that a changing load on a shared machine falls on
# all of them alike; it reports the best and the median wall time and the
# median CPU time (user + system of the process and its children, from
# wait4), which a loaded machine disturbs less than wall time.
#
# The machine should be otherwise idle; on a shared machine, compare ratios
# within one run rather than absolute times between runs.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=5
RUNS_LARGE=2
SIZES="1000 10000 100000"
WORK="${TMPDIR:-/tmp}/smf-compare"
BUILD=1
TOOLS="xmllint python inventory closure report stages"
USE_CORPORA=1
BASELINE=""
INTERLEAVE=0
CORPORA="${SMF_BENCH_CORPORA:-$ROOT/../shared/corpora}"
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --runs-large) RUNS_LARGE="$2"; shift 2 ;;
        --sizes) SIZES="$2"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --tools) TOOLS="$2"; shift 2 ;;
        --no-corpora) USE_CORPORA=0; shift ;;
        --baseline) BASELINE="$2"; shift 2 ;;
        --interleave) INTERLEAVE=1; shift ;;
        --quick) RUNS=3; SIZES="1000 10000"; shift ;;
        -h|--help) sed -n '2,35p' "$0"; exit 0 ;;
        *) echo "compare.sh: unknown option $1" >&2; exit 64 ;;
    esac
done
mkdir -p "$WORK"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

# Tools.
if ! command -v xmllint >/dev/null 2>&1; then
    echo "compare.sh: installing libxml2-utils (xmllint)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils >/dev/null
fi
if ! command -v hyperfine >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null 2>&1 \
        || echo "compare.sh: hyperfine not available; using a bash loop" >&2
fi
[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null

# The release build as the README and docs/PERFORMANCE.md ("The sixth round") give it:
# the Swift runtime and Foundation linked in (--static-swift-stdlib), in a
# build folder of its own. SMF_COMPARE_BIN names another binary.
BIN="${SMF_COMPARE_BIN:-$ROOT/.build-static/release/smf-minimize}"
STAGES="$ROOT/Benchmarks/.build/release/smf-stages"
if [ "$BUILD" = 1 ]; then
    echo "compare.sh: swift build -c release --static-swift-stdlib --scratch-path .build-static" >&2
    (cd "$ROOT" && swift build -c release --static-swift-stdlib --scratch-path .build-static >/dev/null)
    (cd "$ROOT/Benchmarks" && swift build -c release --product smf-stages >/dev/null)
fi
[ -x "$BIN" ] || { echo "compare.sh: $BIN missing (run without --no-build)" >&2; exit 2; }

HELP="$("$BIN" --help 2>&1 || true)"
has_cmd() { printf '%s\n' "$HELP" | grep -Eq "^ +$1( |$)"; }

# How to ask for one closure and for the report; both take the request and the PATHs.
closure_cmd() { local req="$1"; shift; printf '%q ' "${CMD_BIN:-$BIN}" closure "$@" --want "$req"; }
report_cmd() { local req="$1"; shift; printf '%q ' "${CMD_BIN:-$BIN}" report "$@" --want "$req"; }
if [ -n "$BASELINE" ] && [ ! -x "$BASELINE" ]; then echo "compare.sh: --baseline $BASELINE is not executable" >&2; exit 64; fi

# Data sets: name|request|PATH...
SETS=()
if [ "$USE_CORPORA" = 0 ]; then
    :
elif [ -d "$CORPORA/illumos-gate" ] && [ -d "$CORPORA/oi-userland" ]; then
    SETS+=("corpora|svc:/milestone/multi-user-server:default|$CORPORA/illumos-gate|$CORPORA/oi-userland")
else
    echo "compare.sh: no corpora at $CORPORA (set SMF_BENCH_CORPORA); skipped" >&2
fi
for n in $SIZES; do
    dir="$WORK/synthetic-$n"
    stamp="generator: scripts/gen-synthetic.py --services $n --seed 1 --cycles 0"
    if ! head -1 "$dir/SYNTHETIC.txt" 2>/dev/null | grep -qx -- "$stamp"; then
        echo "compare.sh: generating $n services into $dir" >&2
        python3 "$ROOT/scripts/gen-synthetic.py" --services "$n" --seed 1 --out "$dir" --force >&2
    fi
    req="$(sed -n 's/^request: //p' "$dir/SYNTHETIC.txt")"
    SETS+=("synthetic-$n|$req|$dir")
done

# time_cmd NAME COMMAND: best and mean wall seconds over RUNS, then peak RSS (KiB) of one run.
RESULTS="$WORK/results.tsv"
: > "$RESULTS"
runs_for() { case "$1" in synthetic-*) [ "${1#synthetic-}" -ge 50000 ] && { echo "$RUNS_LARGE 0"; return; } ;; esac; echo "$RUNS 1"; }
# With --interleave, time_cmd only queues the command; time_queue runs the queue.
QUEUE="$WORK/queue.tsv"
time_cmd() {
    local set="$1" tool="$2" cmd="$3" best mean rss rc runs warm
    if [ "$INTERLEAVE" = 1 ]; then printf '%s\t%s\t%s\n' "$set" "$tool" "$cmd" >> "$QUEUE"; return; fi
    read -r runs warm < <(runs_for "$set")
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine --style none --warmup "$warm" --runs "$runs" -i --export-json "$WORK/h.json" \
            --shell=bash "$cmd >/dev/null 2>&1" >/dev/null 2>&1
        read -r best mean < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.4f %.4f" % (r["min"], r["mean"]))' "$WORK/h.json")
    else
        # One warm-up run, then RUNS timed runs.
        read -r best mean < <(python3 - "$runs" "$cmd" "$warm" <<'PY'
import subprocess, sys, time
runs, cmd, warm = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for _ in range(warm):
    subprocess.run(["bash", "-c", cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
t = []
for _ in range(runs):
    t0 = time.perf_counter()
    subprocess.run(["bash", "-c", cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t.append(time.perf_counter() - t0)
print("%.4f %.4f" % (min(t), sum(t) / len(t)))
PY
)
    fi
    rc=0
    /usr/bin/time -f "%M" -o "$WORK/rss" bash -c "$cmd" >/dev/null 2>&1 || rc=$?
    rss="$(tail -1 "$WORK/rss")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t-\n' "$set" "$tool" "$best" "$mean" "$rss" "$rc" >> "$RESULTS"
    printf 'compare.sh: %-16s %-12s best %8.3f s  mean %8.3f s  peak %7d KiB  exit %s\n' \
        "$set" "$tool" "$best" "$mean" "$rss" "$rc" >&2
}

time_queue() {
    [ -s "$QUEUE" ] || return 0
    local runs warm
    read -r runs warm < <(runs_for "$1")
    python3 - "$QUEUE" "$runs" "$warm" "$RESULTS" <<'PY'
import os, statistics, subprocess, sys, time
queue, runs, warm, results = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
jobs = [l.rstrip("\n").split("\t", 2) for l in open(queue) if l.strip()]
def once(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(["bash", "-c", cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    return time.perf_counter() - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, os.waitstatus_to_exitcode(status)
for _ in range(warm):
    for j in jobs:
        once(j[2])
wall = {i: [] for i in range(len(jobs))}
cpu = {i: [] for i in range(len(jobs))}
rss = {i: 0 for i in range(len(jobs))}
rc = {i: 0 for i in range(len(jobs))}
for r in range(runs):
    order = list(range(len(jobs)))
    order = order[r % len(order):] + order[:r % len(order)]
    for i in order:
        w, c, m, e = once(jobs[i][2])
        wall[i].append(w); cpu[i].append(c); rss[i] = max(rss[i], m); rc[i] = e
with open(results, "a") as out:
    for i, (s, tool, _) in enumerate(jobs):
        out.write("%s\t%s\t%.4f\t%.4f\t%d\t%d\t%.4f\n" % (s, tool, min(wall[i]), statistics.median(wall[i]), rss[i], rc[i], statistics.median(cpu[i])))
        print("compare.sh: %-16s %-14s best %8.3f s  median %8.3f s  CPU median %8.3f s  peak %7d KiB  exit %d"
              % (s, tool, min(wall[i]), statistics.median(wall[i]), statistics.median(cpu[i]), rss[i], rc[i]), file=sys.stderr)
PY
    : > "$QUEUE"
}
: > "$QUEUE"

for entry in "${SETS[@]}"; do
    IFS='|' read -r -a f <<<"$entry"
    set="${f[0]}"; req="${f[1]}"; paths=("${f[@]:2}")
    list="$WORK/$set.files"
    find "${paths[@]}" -name '*.xml' -type f | LC_ALL=C sort > "$list"
    nfiles=$(wc -l < "$list")
    q=""; for p in "${paths[@]}"; do q+="$(printf '%q ' "$p")"; done
    echo "compare.sh: $set: $nfiles files, request $req" >&2

    want() { [[ " $TOOLS " == *" $1 "* ]]; }
    if want xmllint; then time_cmd "$set" "xmllint" "xargs -a $(printf '%q' "$list") xmllint --noout"; fi
    if want python; then time_cmd "$set" "python" "python3 $(printf '%q' "$ROOT/scripts/naive_closure.py") $(printf '%q' "$req") $q"; fi
    if want inventory; then time_cmd "$set" "inventory" "$(printf '%q' "$BIN") inventory $q"; fi
    if want closure && has_cmd closure; then time_cmd "$set" "closure" "$(closure_cmd "$req" "${paths[@]}")"; fi
    if want report && has_cmd report; then time_cmd "$set" "report" "$(report_cmd "$req" "${paths[@]}")"; fi
    if [ -n "$BASELINE" ]; then
        if want inventory; then time_cmd "$set" "inventory-base" "$(printf '%q' "$BASELINE") inventory $q"; fi
        if want closure; then time_cmd "$set" "closure-base" "$(CMD_BIN="$BASELINE" closure_cmd "$req" "${paths[@]}")"; fi
        if want report; then time_cmd "$set" "report-base" "$(CMD_BIN="$BASELINE" report_cmd "$req" "${paths[@]}")"; fi
    fi
    time_queue "$set"

    # Stages in one process, and the counts (services) for the per-service figures.
    if [ -x "$STAGES" ] && want stages; then
        read -r runs warm < <(runs_for "$set")
        "$STAGES" --repeat "$runs" --request "$req" "${paths[@]}" > "$WORK/$set.stages" 2>&1 || true
    fi
    # The counts for the per-service figures when the stages were not timed.
    if [ ! -s "$WORK/$set.stages" ] || ! want stages; then
        "$BIN" inventory "${paths[@]}" --format json 2>/dev/null \
            | python3 -c 'import json,sys; c=json.load(sys.stdin)["counts"]; print("services", c["services"]); print("instances", c["instances"])' \
            > "$WORK/$set.stages" 2>/dev/null || true
    fi
    # Python's answer and smf-minimize's, for a sanity check of the same work.
    if want python; then
        python3 "$ROOT/scripts/naive_closure.py" "$req" "${paths[@]}" > "$WORK/$set.python.txt" 2>/dev/null || true
    fi
    if want closure && has_cmd closure; then
        eval "$(closure_cmd "$req" "${paths[@]}")" > "$WORK/$set.closure.txt" 2>/dev/null || true
    fi
done

python3 - "$RESULTS" "$WORK" "$LOAD_START" "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')" "$(nproc)" <<'EOF'
import os, sys
results, work, load0, load1, ncpu = sys.argv[1:6]
rows = [l.rstrip("\n").split("\t") for l in open(results) if l.strip()]
sets = []
data = {}
cpus = {}
for s, tool, best, mean, rss, rc, cpu in rows:
    if s not in sets:
        sets.append(s)
    data[(s, tool)] = (float(best), float(mean), int(rss), rc)
    cpus[(s, tool)] = None if cpu == "-" else float(cpu)

def stages(s):
    out = {}
    p = os.path.join(work, s + ".stages")
    if os.path.exists(p):
        for line in open(p):
            parts = line.split()
            if len(parts) == 2:
                try:
                    out[parts[0]] = float(parts[1])
                except ValueError:
                    pass
    return out

out = ["Load average at start %s, at end %s, on %s cores (other jobs running make every time longer; compare ratios)." % (load0, load1, ncpu), ""]
interleaved = any(c is not None for c in cpus.values())
out.append("| data set | files | services | tool | best s | %s s | × xmllint | %s× xmllint (CPU) | Python ÷ tool | peak RSS MiB | µs / service | exit |"
           % ("median" if interleaved else "mean", "CPU s | " if interleaved else ""))
out.append("| --- | ---: | ---: | --- | ---: | ---: | ---: |%s ---: | ---: | ---: | ---: |" % (" ---: | ---: |" if interleaved else ""))
for s in sets:
    st = stages(s)
    nfiles = sum(1 for _ in open(os.path.join(work, s + ".files")))
    services = int(st.get("services", 0))
    base = data.get((s, "xmllint"))
    py = data.get((s, "python"))
    for tool in ["xmllint", "python", "inventory", "inventory-base", "closure", "closure-base", "report", "report-base"]:
        if (s, tool) not in data:
            continue
        best, mean, rss, rc = data[(s, tool)]
        ratio = "%.2f" % (best / base[0]) if base else "-"
        vs_py = "%.1f" % (py[0] / best) if py and tool not in ("python",) else "-"
        per = "%.1f" % (best / services * 1e6) if services else "-"
        cpu = ""
        if interleaved:
            c, bc = cpus.get((s, tool)), cpus.get((s, "xmllint"))
            cpu = "%s | %s | " % ("%.3f" % c if c is not None else "-", "%.2f" % (c / bc) if c is not None and bc else "-")
        out.append("| %s | %d | %d | %s | %.3f | %.3f | %s | %s%s | %.1f | %s | %s |"
                   % (s, nfiles, services, tool, best, mean, ratio, cpu, vs_py, rss / 1024, per, rc))
out.append("")
pairs = [(s, t) for s in sets for t in ("inventory", "closure", "report") if (s, t) in data and (s, t + "-base") in data]
if pairs:
    out.append("This build ÷ the baseline (--baseline), same data set, same rounds:")
    out.append("")
    out.append("| data set | tool | best wall | %s wall | %s |" % ("median" if interleaved else "mean", "median CPU" if interleaved else "CPU"))
    out.append("| --- | --- | ---: | ---: | ---: |")
    for s, t in pairs:
        a, b = data[(s, t)], data[(s, t + "-base")]
        ca, cb = cpus.get((s, t)), cpus.get((s, t + "-base"))
        out.append("| %s | %s | %.2f | %.2f | %s |" % (s, t, a[0] / b[0], a[1] / b[1], "%.2f" % (ca / cb) if ca and cb else "-"))
    out.append("")
names = ["read", "merge", "merge_cpu", "read+merge_streamed", "graph", "graph_cpu", "closure", "closure_cpu",
         "read+merge+graph+closure", "load", "closure_instances"]
present = [n for n in names if any(n in stages(s) for s in sets)]
if present:
    out.append("In one process (Benchmarks' smf-stages, best of the runs, seconds; read uses every core):")
    out.append("")
    out.append("| data set | " + " | ".join(present) + " |")
    out.append("| --- |" + " ---: |" * len(present))
    for s in sets:
        st = stages(s)
        out.append("| %s | " % s + " | ".join(("%.3f" % st[n] if n != "closure_instances" else "%d" % st[n]) if n in st else "-" for n in present) + " |")
    out.append("")
syn = [s for s in sets if s.startswith("synthetic-")]
if len(syn) > 1:
    out.append("Growth, µs per service (best time ÷ services):")
    out.append("")
    out.append("| tool | " + " | ".join(syn) + " |")
    out.append("| --- |" + " ---: |" * len(syn))
    for tool in ["xmllint", "python", "inventory", "closure", "report"]:
        cells = []
        for s in syn:
            services = int(stages(s).get("services", 0))
            if (s, tool) in data and services:
                cells.append("%.1f" % (data[(s, tool)][0] / services * 1e6))
            else:
                cells.append("-")
        if any(c != "-" for c in cells):
            out.append("| %s | " % tool + " | ".join(cells) + " |")
    out.append("")
for s in sets:
    a = os.path.join(work, s + ".python.txt")
    b = os.path.join(work, s + ".closure.txt")
    if os.path.exists(a):
        n = sum(1 for l in open(a) if l.startswith("svc:/"))
        line = "%s: the Python script's closure has %d instances" % (s, n)
        if os.path.exists(b):
            import re
            m = re.search(r"^closure \((\d+) instances\)", open(b).read(), re.M)
            line += "; smf-minimize closure has %s" % (m.group(1) + " instances" if m else "an unknown size")
        out.append(line + ".")
text = "\n".join(out) + "\n"
open(os.path.join(work, "results.md"), "w").write(text)
print(text)
EOF
echo "compare.sh: results in $WORK/results.md" >&2

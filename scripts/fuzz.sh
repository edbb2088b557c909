#!/usr/bin/env bash
# Builds the libFuzzer harness in Fuzz/ (reader + merge + inventory render,
# under AddressSanitizer) and runs it for SECONDS (default 60).
#
#   scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]
#
# Seeds: every *.xml under ../shared/corpora (or $FUZZ_SEEDS) plus
# Tests/Fixtures/{bad,hostile,fuzz}, copied into a temporary corpus directory
# (FUZZ_CORPUS to keep one between runs). Seeds are never committed.
# Crashes are written to $FUZZ_ARTIFACTS (default /tmp/smf-fuzz-artifacts/);
# turn each into a fixture under Tests/Fixtures/fuzz/ with a test.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds="${1:-60}"
shift || true

seeds="${FUZZ_SEEDS:-$root/../shared/corpora}"
corpus="${FUZZ_CORPUS:-$(mktemp -d /tmp/smf-fuzz-corpus.XXXXXX)}"
artifacts="${FUZZ_ARTIFACTS:-/tmp/smf-fuzz-artifacts}"
mkdir -p "$corpus" "$artifacts"

echo "fuzz: building Fuzz/ with -sanitize=fuzzer,address"
(cd Fuzz && swift build -c debug --scratch-path "$root/.build-fuzz" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library) 2>&1 \
    | grep -v "Cannot export local symbol" >&2
bin="$root/.build-fuzz/debug/SMFFuzz"
[ -x "$bin" ] || { echo "fuzz: $bin was not built" >&2; exit 1; }

if [ -z "$(ls -A "$corpus")" ]; then
    n=0
    for dir in "$seeds" Tests/Fixtures/bad Tests/Fixtures/hostile Tests/Fixtures/fuzz; do
        [ -d "$dir" ] || continue
        while IFS= read -r -d '' f; do
            # Name by content so that duplicates collapse; only small files.
            if [ "$(stat -c %s "$f")" -le 262144 ]; then
                cp "$f" "$corpus/$(sha1sum "$f" | cut -c1-40)"
                n=$((n + 1))
            fi
        done < <(find "$dir" -type f -name '*.xml' -print0 2>/dev/null)
    done
    echo "fuzz: seeded $corpus with $n files"
fi

dict="$root/Fuzz/smf.dict"
dictflag=()
[ -f "$dict" ] && dictflag=(-dict="$dict")

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}"
echo "fuzz: running $bin for ${seconds}s on $corpus"
"$bin" "$corpus" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 \
    -max_len=65536 -artifact_prefix="$artifacts/" -print_final_stats=1 "${dictflag[@]}" "$@"

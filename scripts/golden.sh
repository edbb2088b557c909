#!/usr/bin/env bash
# Golden outputs: run every command on the bundled sample, the corpora (when
# ../shared/corpora is beside the checkout) and a synthetic 10k tree, and keep
# what each prints (stdout, stderr, exit status) and the files it writes.
#
#   scripts/golden.sh write DIR     write the outputs of this checkout into DIR
#   scripts/golden.sh check DIR     write them into a temporary directory and
#                                   diff against DIR; exit 1 on any difference
#
# A refactoring that must not change what the tool says (docs/ARCHITECTURE.md)
# is checked with `write` on the old commit and `check` on the new one.
# Paths in the outputs are the same in both runs: the corpora are read through
# ../shared/corpora and the synthetic tree is generated at a fixed place.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?usage: scripts/golden.sh write|check DIR}
dir=${2:?usage: scripts/golden.sh write|check DIR}
swift build -c debug >/dev/null
bin=$PWD/.build/debug/smf-minimize
C=$(cd .. && pwd)/shared/corpora
GATE=$C/illumos-gate
PROFILE=$GATE/usr/src/cmd/svc/profile/generic_limited_net.xml
DTD=$GATE/usr/src/cmd/svc/dtd/service_bundle.dtd.1
SYN=${TMPDIR:-/tmp}/smf-golden-synthetic-10000
stamp="generator: scripts/gen-synthetic.py --services 10000 --seed 1 --cycles 0"
if ! head -1 "$SYN/SYNTHETIC.txt" 2>/dev/null | grep -qx -- "$stamp"; then
    python3 scripts/gen-synthetic.py --services 10000 --seed 1 --out "$SYN" --force >/dev/null
fi
SYNREQ=$(sed -n 's/^request: //p' "$SYN/SYNTHETIC.txt")

out=$dir
if [ "$mode" = check ]; then out=$(mktemp -d); fi
mkdir -p "$out"

# g NAME ARGS...: run the tool, keep stdout, stderr and the exit status.
g() {
    local name=$1; shift
    local rc=0
    (cd "$out" && "$bin" "$@" --color never >"$name.out" 2>"$name.err") || rc=$?
    echo "$rc" >"$out/$name.rc"
}
# gn NAME ARGS...: the same for commands without --color.
gn() {
    local name=$1; shift
    local rc=0
    (cd "$out" && "$bin" "$@" >"$name.out" 2>"$name.err") || rc=$?
    echo "$rc" >"$out/$name.rc"
}

S=$PWD/manifests
# The sample, read as a root.
gn s-inventory inventory
gn s-inventory-json inventory --format json
gn s-lint lint
gn s-closure closure --want nginx
gn s-closure-json closure --want nginx --format json
gn s-why why --want nginx --target cron
gn s-dependents dependents --target svc:/milestone/network:default
gn s-tree tree --want nginx
gn s-cycles cycles
gn s-graph graph
gn s-graph-want graph --want nginx
g s-report report
g s-report-json report --format json
g s-report-cron report --want cron -o s-report-cron.d
gn s-plan plan --want nginx
gn s-plan-json plan --want nginx --format json
gn s-profile profile --want nginx
gn s-blank blank-zone --want nginx -o s-blank.d
gn s-boot boot
gn s-boot-json boot --format json
gn s-collect collect --want nginx
gn s-audit audit --config "$PWD/Tests/Fixtures/boot/sample-enable.txt" --kind enable-list --want nginx
gn s-audit-capture audit --config "$PWD/Tests/Fixtures/boot/sample-capture.txt" --kind capture --format json
gn s-boot-list boot --enable-list "$PWD/Tests/Fixtures/boot/sample-enable.txt"

if [ -d "$GATE" ]; then
    B=("$GATE/usr" "$GATE/generated")
    gn c-inventory inventory "${B[@]}" "$C/oi-userland"
    gn c-inventory-json inventory "${B[@]}" "$C/oi-userland" --format json
    gn c-lint lint "${B[@]}" "$C/oi-userland"
    gn c-lint-dtd lint --dtd "$DTD" "${B[@]}" "$C/oi-userland"
    gn c-closure closure "${B[@]}" --profile "$PROFILE" --want ssh
    gn c-closure-json closure "${B[@]}" --profile "$PROFILE" --want ssh --format json
    gn c-closure-mus closure "${B[@]}" "$C/oi-userland" --want milestone/multi-user-server --format json
    gn c-cycles cycles "${B[@]}" "$C/oi-userland"
    gn c-graph graph "${B[@]}" --profile "$PROFILE"
    g c-report report "${B[@]}" --profile "$PROFILE" --want ssh
    g c-report-json report "${B[@]}" --profile "$PROFILE" --want ssh --format json
    g c-report-oi report "${B[@]}" "$C/oi-userland" --profile "$PROFILE" --want apache24 -o c-report-oi.d
    gn c-plan plan "${B[@]}" --profile "$PROFILE" --want ssh
    gn c-plan-json plan "${B[@]}" --profile "$PROFILE" --want ssh --format json
    gn c-plan-mus-json plan "${B[@]}" --profile "$PROFILE" --want milestone/multi-user-server --format json
    gn c-profile profile "${B[@]}" --profile "$PROFILE" --want ssh --want cron
    gn c-boot-json boot "${B[@]}" --profile "$PROFILE" --format json
    gn c-blank blank-zone "${B[@]}" --profile "$PROFILE" --want ssh -o c-blank.d
    gn c-zone-view closure "${B[@]}" --profile "$PROFILE" --packages "$GATE/usr/src/pkg" --zone-view --want ssh
else
    echo "golden.sh: skipped the corpora: $GATE is absent" >&2
fi

gn y-inventory inventory "$SYN"
gn y-lint lint "$SYN"
gn y-closure closure "$SYN" --want "$SYNREQ" --format json
g y-report report "$SYN" --want "$SYNREQ"
gn y-plan-json plan "$SYN" --want "$SYNREQ" --format json

# Every subcommand's --help and help, --version, the completion scripts:
# ArgumentParser's own text, which no command line above prints.
for sub in "" inventory lint closure why dependents tree cycles graph report plan profile blank-zone collect boot audit; do
    h=help-${sub:-root}
    rc=0; (cd "$out" && "$bin" $sub --help >"$h.out" 2>"$h.err") || rc=$?; echo "$rc" >"$out/$h.rc"
    rc=0; (cd "$out" && "$bin" help $sub >"$h-cmd.out" 2>"$h-cmd.err") || rc=$?; echo "$rc" >"$out/$h-cmd.rc"
done
for a in --version "--generate-completion-script bash" "--generate-completion-script zsh" "--generate-completion-script fish"; do
    h=args-$(echo "$a" | tr -c 'a-z0-9\n' '-' | sed 's/^-*//')
    rc=0; (cd "$out" && "$bin" $a >"$h.out" 2>"$h.err") || rc=$?; echo "$rc" >"$out/$h.rc"
done

# The checkout's own path differs between worktrees: write it as @CHECKOUT@.
find "$out" -type f -print0 | xargs -0 sed -i "s#$PWD#@CHECKOUT@#g"

if [ "$mode" = check ]; then
    if diff -r "$dir" "$out" >"$out.diff"; then
        echo "golden.sh: identical to $dir"
        rm -rf "$out" "$out.diff"
    else
        echo "golden.sh: differences from $dir (full diff: $out.diff):"
        head -n 60 "$out.diff"
        exit 1
    fi
else
    echo "golden.sh: wrote $(ls "$out" | wc -l) entries into $out"
fi

#!/usr/bin/env bash
# Regenerates every report in reports/ with the tool built from this checkout.
# Run from anywhere; the corpora reports need ../shared/corpora beside the
# checkout (they are skipped with a message when it is absent).
# The test ReportsUpToDateTests fails when a committed report.md no longer
# matches what this script would write.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c debug >/dev/null
bin=.build/debug/smf-minimize
C=../shared/corpora
GATE=$C/illumos-gate
PROFILE=$GATE/usr/src/cmd/svc/profile/generic_limited_net.xml

run() {
    local name=$1; shift
    echo "reports/$name: smf-minimize $*"
    rm -rf "reports/$name"
    "$bin" "$@" -o "reports/$name" --color never >/dev/null || {
        rc=$?
        # 1 means findings (for example unresolved names): the report is still written.
        [ "$rc" -eq 1 ] || exit "$rc"
    }
}

run sample-nginx report
run sample-cron report --want cron
if [ -d "$GATE" ]; then
    run illumos-ssh report $GATE/usr $GATE/generated --profile $PROFILE --want ssh
    run illumos-ssh-zone report $GATE/usr $GATE/generated --profile $PROFILE --packages $GATE/usr/src/pkg --zone-view --want ssh
    run illumos-cron report $GATE/usr $GATE/generated --profile $PROFILE --want cron
    run illumos-five-services report $GATE/usr $GATE/generated --profile $PROFILE --want ssh --want cron --want sendmail --want nfs/server --want system-log
    run illumos-multi-user-server report $GATE/usr $GATE/generated --profile $PROFILE --want milestone/multi-user-server
    run oi-apache report $GATE/usr $GATE/generated $C/oi-userland --profile $PROFILE --want apache24
    run oi-nginx-postgres report $GATE/usr $GATE/generated $C/oi-userland --profile $PROFILE --want network/http/nginx --want postgresql_16
else
    echo "skipped the corpora reports: $GATE is absent" >&2
fi

#!/usr/bin/env python3
"""Generate deep or dense dependency graphs, to measure the graph commands.

    scripts/gen-deep.py chain N OUTDIR      # site/c0 requires site/c1 ... site/c(N-1)
    scripts/gen-deep.py complete K OUTDIR   # site/k<i> requires every site/k<j>, j > i

Writes OUTDIR/deep-NNNN.xml, at most 1,000 services per file (each file far
under the reader's 32 MiB limit), with the real DOCTYPE; every instance is
enabled and has start and stop methods. The request is svc:/site/c0 (or
svc:/site/k0): its closure is the whole graph. `complete` is a DAG with
K(K-1)/2 require_all edges (one dependency group per node naming every later
node), the densest acyclic graph on K nodes. Output is deterministic. The
test suite builds the same shapes (Tests/SMFKitTests/DeepGraphTests.swift).
"""

import os
import sys

HEAD = """<?xml version='1.0'?>
<!DOCTYPE service_bundle SYSTEM '/usr/share/lib/xml/dtd/service_bundle.dtd.1'>
<service_bundle type='manifest' name='deep-{n}'>
"""
METHODS = ("<exec_method type='method' name='start' exec='/usr/bin/true' timeout_seconds='60'/>"
           "<exec_method type='method' name='stop' exec=':kill' timeout_seconds='60'/>")


def service(name, needs):
    out = [f"<service name='site/{name}' type='service' version='1'><create_default_instance enabled='true'/>"]
    if needs:
        out.append("<dependency name='needs' grouping='require_all' restart_on='none' type='service'>")
        out.extend(f"<service_fmri value='svc:/site/{n}'/>" for n in needs)
        out.append("</dependency>")
    out.append(METHODS + "</service>\n")
    return "".join(out)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("chain", "complete"):
        sys.exit(__doc__)
    shape, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    prefix = "c" if shape == "chain" else "k"
    # The complete graph's file sizes grow with the edges: fewer services per file.
    per_file = 1000 if shape == "chain" else max(1, 200_000 // max(n, 1))
    for f, start in enumerate(range(0, n, per_file)):
        parts = [HEAD.format(n=f)]
        for i in range(start, min(n, start + per_file)):
            if shape == "chain":
                needs = [f"c{i + 1}"] if i + 1 < n else []
            else:
                needs = [f"k{j}" for j in range(i + 1, n)]
            parts.append(service(f"{prefix}{i}", needs))
        parts.append("</service_bundle>\n")
        with open(os.path.join(out, f"deep-{f:04d}.xml"), "w") as fh:
            fh.write("".join(parts))


if __name__ == "__main__":
    main()

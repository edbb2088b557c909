#!/usr/bin/env python3
"""The closure of an SMF request, as a user would write it without smf-minimize.

    scripts/naive_closure.py FMRI PATH...

A performance baseline for scripts/compare.sh, not a second implementation:
it reads every *.xml under the PATHs with xml.etree.ElementTree, then runs a
breadth-first search from FMRI following require_all groups, restarter edges
(anything but svc.startd) and dependents (inverted into a group of their
target), and the first resolvable entity of each require_any group. A service
entity is resolved to one instance: an enabled one, else 'default', else the
first by name. optional_all and exclude_all are not followed. Prints the
sorted instance FMRIs, one a line; the count and timings go to stderr.

It skips what smf-minimize does on top (diagnostics, DTD checks, svccfg's
first-definition-wins rules, the choice pass of docs/CLOSURE.md), so
its answer can differ from `smf-minimize closure` on unusual inputs, but it
does the same reading and the same amount of graph work.
"""

import os
import sys
import time
import xml.etree.ElementTree as ET
from collections import deque

STARTD = "svc:/system/svc/restarter:default"


def norm(fmri):
    """'svc:/a/b:i' -> ('a/b', 'i'); 'svc:/a/b' -> ('a/b', None); paths -> None."""
    f = fmri.strip()
    if f.startswith("file:"):
        return None
    if f.startswith("svc://localhost/"):
        f = f[16:]
    elif f.startswith("svc:/"):
        f = f[5:]
    elif f.startswith("svc:"):
        f = f[4:]
    f = f.lstrip("/")
    if ":" in f:
        s, i = f.split(":", 1)
        return (s, i)
    return (f, None)


def files_under(paths):
    for p in paths:
        if os.path.isdir(p):
            found = []
            for root, dirs, names in os.walk(p):
                dirs.sort()
                for n in names:
                    if n.endswith(".xml"):
                        found.append(os.path.join(root, n))
            yield from sorted(found)
        else:
            yield p


def groups_of(entity):
    out = {}
    for d in entity.findall("dependency"):
        out[d.get("name")] = (d.get("grouping"), [e.get("value") for e in d.findall("service_fmri")])
    return out


def restarter_of(entity):
    r = entity.find("restarter")
    if r is None:
        return None
    f = r.find("service_fmri")
    return None if f is None else f.get("value")


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: naive_closure.py FMRI PATH...")
    request, paths = sys.argv[1], sys.argv[2:]
    t0 = time.perf_counter()
    services = {}  # name -> {'instances': {name: enabled}, 'groups': {}, 'inst_groups': {}, 'restarter', 'inst_restarter'}
    dependents = []  # (declarer fmri, grouping, target fmri)
    for path in files_under(paths):
        try:
            root = ET.parse(path).getroot()
        except (ET.ParseError, OSError) as e:
            print("naive_closure: %s: %s" % (path, e), file=sys.stderr)
            continue
        if root.get("type") not in ("manifest", "archive"):
            continue
        for svc in root.iter("service"):
            name = svc.get("name")
            s = services.setdefault(name, {"instances": {}, "groups": {}, "inst_groups": {},
                                           "restarter": None, "inst_restarter": {}})
            cdi = svc.find("create_default_instance")
            if cdi is not None:
                s["instances"].setdefault("default", cdi.get("enabled") == "true")
            for k, v in groups_of(svc).items():
                s["groups"].setdefault(k, v)
            if s["restarter"] is None:
                s["restarter"] = restarter_of(svc)
            for d in svc.findall("dependent"):
                t = d.find("service_fmri")
                if t is not None:
                    dependents.append(("svc:/" + name, d.get("grouping"), t.get("value")))
            for inst in svc.findall("instance"):
                iname = inst.get("name")
                s["instances"].setdefault(iname, inst.get("enabled") == "true")
                s["inst_groups"].setdefault(iname, groups_of(inst))
                s["inst_restarter"].setdefault(iname, restarter_of(inst))
                for d in inst.findall("dependent"):
                    t = d.find("service_fmri")
                    if t is not None:
                        dependents.append(("svc:/%s:%s" % (name, iname), d.get("grouping"), t.get("value")))
    # Dependents inverted: target -> [(grouping, [declarer])].
    inverted = {}
    for declarer, grouping, target in dependents:
        n = norm(target)
        if n is not None:
            inverted.setdefault(n, []).append((grouping, [declarer]))
    t1 = time.perf_counter()

    def pick(service):
        s = services.get(service)
        if not s or not s["instances"]:
            return None
        insts = s["instances"]
        for i in sorted(insts):
            if insts[i]:
                return i
        return "default" if "default" in insts else sorted(insts)[0]

    def resolve(fmri):
        n = norm(fmri)
        if n is None:
            return None
        svc, inst = n
        if inst is None:
            inst = pick(svc)
            if inst is None:
                return None
        elif svc not in services or inst not in services[svc]["instances"]:
            return None
        return (svc, inst)

    start = resolve(request)
    if start is None:
        sys.exit("naive_closure: %s names no instance" % request)
    seen = {start}
    queue = deque([start])
    while queue:
        svc, inst = queue.popleft()
        s = services[svc]
        groups = dict(s["groups"])
        groups.update(s["inst_groups"].get(inst, {}))
        for key in ((svc, None), (svc, inst)):
            for grouping, ents in inverted.get(key, []):
                groups.setdefault("dependent-%d" % len(groups), (grouping, ents))
        r = s["inst_restarter"].get(inst) or s["restarter"]
        targets = []
        if r and r.strip() and resolve(r) and "svc:/%s:%s" % resolve(r) != STARTD:
            targets.append(resolve(r))
        for grouping, ents in groups.values():
            if grouping == "require_all":
                targets.extend(t for t in map(resolve, ents) if t is not None)
            elif grouping == "require_any":
                for e in ents:
                    t = resolve(e)
                    if t is not None:
                        targets.append(t)
                        break
        for t in targets:
            if t not in seen:
                seen.add(t)
                queue.append(t)
    t2 = time.perf_counter()
    out = sorted("svc:/%s:%s" % t for t in seen)
    sys.stdout.write("\n".join(out) + "\n")
    print("naive_closure: %d instances; read %.3f s, closure %.3f s" % (len(out), t1 - t0, t2 - t1),
          file=sys.stderr)


if __name__ == "__main__":
    main()

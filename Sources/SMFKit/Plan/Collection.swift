/// What to copy from an illumos zone so that the analysis of a request can
/// run on another host: the shell script `smf-minimize collect` prints.
///
/// The script gathers, relative to the zone's root: the manifest
/// directories, the profile layers, `etc/inittab`, the rc directories
/// (`etc/rcS.d`, `etc/rc2.d`, `etc/rc3.d`: docs/PLAN.md, "Legacy rc
/// scripts"), the method scripts and what they source (`lib/svc/method`,
/// `lib/svc/share`), the DTD, then every program that a start method of the
/// closure names, with the shared libraries `ldd` finds for it (illumos ldd
/// prints `name =>  path`; usr/src/cmd/sgs/ldd). Programs and libraries are
/// appended with `tar rhf` so that a link is stored as the file it leads to.
/// Every word is quoted with `shellQuote`; the script is POSIX sh, run with
/// illumos's /bin/sh (ksh93), and tested under ksh93 and dash.
public struct Collection: Sendable, Hashable {
    /// The zone's root on the illumos host (`/` inside the zone,
    /// `/zones/web/root` from the global zone); nil: from `zoneadm` for `zone`.
    public var zoneRoot: String?
    /// The zone's name: the script then finds the root with zoneadm and
    /// exports the zone's configuration next to the archive.
    public var zone: String?
    /// The archive to write, on the illumos host.
    public var archive: String
    /// Always collected, relative to the root, in this order.
    public var paths: [String]
    /// The programs the closure's start methods name, as paths of the zone, sorted.
    public var programs: [String]
    /// The closure members whose start method names each program.
    public var programUsers: [String: [String]]
    /// Programs named inside the method scripts that could be read here
    /// (`/usr/sbin/cron` in svc-cron), sorted; collected when present.
    public var scriptPrograms: [String] = []

    /// The directories and files the analysis reads from a root (docs/INPUTS.md).
    public static let fixedPaths = [
        "lib/svc/manifest", "var/svc/manifest", "etc/svc/profile", "etc/inittab",
        "etc/rcS.d", "etc/rc2.d", "etc/rc3.d", "lib/svc/method", "lib/svc/share",
        "usr/share/lib/xml/dtd/service_bundle.dtd.1",
    ]

    /// The collection for a request: the programs of every closure member's
    /// start method (a keyword such as `:true` names none; a program that
    /// is a method token such as `%{x}` cannot be known and is left out).
    /// With `lookup`, a program that is a shell script is read and the
    /// absolute paths of programs it names (under /usr, /sbin, /bin, /lib
    /// other than /lib/svc, /opt) are collected too.
    public static func forRequest(_ input: PlanInput, zoneRoot: String?, zone: String?, archive: String,
                                  lookup: ScriptLookup = .unavailable) -> Collection {
        var users: [String: [String]] = [:]
        for id in input.closureIDs {
            let f = input.graph.instanceFMRIs[id]
            guard let m = MethodAnalyzer.startMethod(of: input.graph.instance(id), in: input.repo) else { continue }
            guard let first = m.exec.trimmingWhitespace().split(whereSeparator: { $0 == " " || $0 == "\t" }).first else { continue }
            let program = String(first)
            guard program.hasPrefix("/"), !program.contains("%"), !program.contains("$") else { continue }
            users[program, default: []].append(f)
        }
        var named = Set<String>()
        for program in users.keys {
            guard case .success(let bytes) = lookup.read(program), !bytes.prefix(4096).contains(0) else { continue }
            for raw in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                let line = raw.trimmingBlanks()
                if line.hasPrefix("#") { continue }
                for w in MethodAnalyzer.shellWords(line) where isProgramPath(w) && users[w] == nil { named.insert(w) }
            }
        }
        return Collection(zoneRoot: zoneRoot, zone: zone, archive: archive, paths: fixedPaths,
                          programs: users.keys.sorted(), programUsers: users, scriptPrograms: named.sorted())
    }

    /// A path that names a program: under the program directories, no
    /// pattern or expansion characters.
    static func isProgramPath(_ w: String) -> Bool {
        let prefixes = ["/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/", "/usr/lib/", "/lib/", "/opt/"]
        guard prefixes.contains(where: { w.hasPrefix($0) }), !w.hasPrefix("/lib/svc/"), !w.hasSuffix("/") else { return false }
        return w.allSatisfy { $0.isLetter || $0.isNumber || "/._-+".contains($0) }
    }

    /// The shell script to run on illumos, as root, in the global zone (with
    /// `zone` or a zone root) or inside the zone (root `/`).
    ///
    /// - Complexity: O(paths + programs): the script is written on each access.
    public var script: String {
        var o = "#!/bin/sh\n"
        o += "# Written by smf-minimize collect: the files the analysis reads, from a zone's root.\n"
        o += "# Run on illumos as root. It writes one tar archive; unpack it anywhere and give\n"
        o += "# the directory to --root (README, \"Running it on a real zone\").\n"
        o += "archive=\(shellQuote(archive))\n"
        o += "case $archive in /*) ;; *) archive=$(pwd)/$archive ;; esac\n"
        if let zone {
            o += "zone=\(shellQuote(zone))\n"
            if let zoneRoot {
                o += "root=\(shellQuote(zoneRoot))\n"
            } else {
                o += "root=$(/usr/sbin/zoneadm -z \"$zone\" list -p | /usr/bin/cut -d: -f4)/root || exit 1\n"
            }
            o += "/usr/sbin/zonecfg -z \"$zone\" export > \"$archive.zonecfg\" || exit 1\n"
        } else {
            o += "root=\(shellQuote(zoneRoot ?? "/"))\n"
        }
        o += "cd \"$root\" || exit 1\n"
        o += "set --\n"
        o += "for p in " + paths.map(shellQuote).joined(separator: " ") + "; do\n"
        o += "    [ -e \"$p\" ] && set -- \"$@\" \"$p\"\n"
        o += "done\n"
        o += "tar cf \"$archive\" \"$@\" || exit 1\n"
        o += "# The programs the start methods of the closure name, and their libraries.\n"
        o += "set --\n"
        o += "nl='\n'\n"
        o += "seen=$nl\n"
        o += "for p in " + (programs + scriptPrograms).map { shellQuote(String($0.dropFirst())) }.joined(separator: " ") + "; do\n"
        o += "    [ -e \"$p\" ] || continue\n"
        o += "    case $seen in *\"$nl$p$nl\"*) ;; *) seen=$seen$p$nl; set -- \"$@\" \"$p\" ;; esac\n"
        o += "    libs=$(ldd \"./$p\" 2>/dev/null)\n"
        o += "    while read -r name arrow lib rest; do\n"
        o += "        [ \"$arrow\" = \"=>\" ] || continue\n"
        o += "        case $lib in /*) ;; *) continue ;; esac\n"
        o += "        lib=${lib#/}\n"
        o += "        [ -e \"$lib\" ] || continue\n"
        o += "        case $seen in *\"$nl$lib$nl\"*) ;; *) seen=$seen$lib$nl; set -- \"$@\" \"$lib\" ;; esac\n"
        o += "    done <<EOF\n"
        o += "$libs\n"
        o += "EOF\n"
        o += "done\n"
        o += "if [ $# -gt 0 ]; then tar rhf \"$archive\" \"$@\" || exit 1; fi\n"
        o += "echo \"smf-minimize collect: wrote $archive\" >&2\n"
        return o
    }

    /// The collection as JSON: what is gathered and the script.
    ///
    /// - Complexity: as `script`, which it holds.
    public var json: JSON {
        .object([
            ("zoneRoot", .opt(zoneRoot)),
            ("zone", .opt(zone)),
            ("archive", .string(archive)),
            ("paths", .strings(paths)),
            ("programs", .array(programs.map { p in
                .object([("path", .string(p)), ("startMethodOf", .strings(programUsers[p] ?? []))])
            })),
            ("scriptPrograms", .strings(scriptPrograms)),
            ("script", .string(script)),
        ])
    }
}

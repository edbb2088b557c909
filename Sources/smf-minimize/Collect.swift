import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMFKit

enum CollectFormat: String, ExpressibleByArgument, CaseIterable {
    case sh, json
}

struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Print the shell script that copies, on illumos, the files a request's analysis reads from a zone.",
        discussion: """
        The script (POSIX sh, for illumos's /bin/sh) writes one tar archive of, relative to the \
        zone's root: the manifest directories, the profile layers, etc/inittab, the legacy rc \
        directories etc/rcS.d, etc/rc2.d and etc/rc3.d, lib/svc/method and lib/svc/share, the DTD, \
        and every program that a start method of the request's closure names, with the shared \
        libraries ldd finds for it (links stored as the files they lead to). Unpack the archive \
        anywhere and give the directory to --root.

        The closure is computed from the input, so run it first on a copy of the zone's manifests \
        (the README's tar line) or on a similar zone, then run the script it prints on the zone \
        itself. Run the script as root: in the global zone with --zone NAME (the root is found \
        with zoneadm, and the zone's configuration is exported beside the archive) or --zone-root \
        DIR, or inside the zone (root /).

        JSON (--format json, docs/JSON.md): {"schemaVersion", "zoneRoot", "zone", "archive", "paths", "programs": [{"path", \
        "startMethodOf"}], "scriptPrograms", "script"}. With --root, the method scripts found in the root \
        are read and the programs they name (/usr/sbin/cron in svc-cron) are collected too.

        Examples:
          smf-minimize collect --want nginx --zone web --archive /var/tmp/web.tar > collect.sh
          # on illumos, as root:
          sh collect.sh
          # copy /var/tmp/web.tar and web.tar.zonecfg to any host, then:
          mkdir web-root && tar xf web.tar -C web-root
          smf-minimize report --root web-root --zonecfg web.tar.zonecfg --want nginx
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var request: RequestOptions
    @Option(help: ArgumentHelp("The zone whose files to copy: its root is found with zoneadm and its configuration exported.", valueName: "name"))
    var zone: String?
    @Option(help: ArgumentHelp("The zone's root on the illumos host (default: from --zone, else /, i.e. run inside the zone).", valueName: "dir"))
    var zoneRoot: String?
    @Option(help: ArgumentHelp("The archive to write on the illumos host.", valueName: "file"))
    var archive: String = "zone.tar"
    @Option(help: "Output format: sh (the script) or json.") var format: CollectFormat = .sh

    func run() throws {
        let session = input.session(wanted: request.want)
        let c = try session.collection(zoneRoot: zoneRoot, zone: zone, archive: archive)
        emit(format == .json ? c.json.versioned.render() : c.script)
        try finish(Outcome(try session.repository(), closure: try session.analysis().closure))
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Checks of what a command was pointed at, made around `Loader` so that a
/// wrong `--root` is never silent: the shape of the root before reading, and
/// after reading, whether anything that defines a service was read at all.
public enum RootCheck {
    /// A warning when `root` looks like a zonepath rather than a zone's root:
    /// it holds `root/lib/svc/manifest` and has no `lib/svc/manifest` of its
    /// own (zoneadm keeps a zone's file systems under ZONEPATH/root). Both
    /// are looked up inside the root, links resolved as in a chroot (`RootFS`).
    public static func zonepathWarning(root: String) -> String? {
        let base = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        let fs = RootFS(root)
        guard !fs.isDirectory("/lib/svc/manifest"), fs.isDirectory("/root/lib/svc/manifest") else { return nil }
        return "--root \(base) looks like a zonepath, not a zone's root: it has no lib/svc/manifest, and \(base)/root/lib/svc/manifest exists; the zone's root is --root \(base)/root"
    }

    /// The error when no manifest or archive was read: with a root, or when
    /// no file at all was found. (Profiles alone, named as PATHs, are a lint
    /// job and are no error.) Says where the reading looked.
    public static func nothingRead(_ spec: InputSpec, _ repo: Repository) -> String? {
        let defining = repo.counts.manifests + repo.counts.archives
        guard defining == 0, spec.root != nil || repo.counts.files == 0 else { return nil }
        var looked: [String] = []
        if let root = spec.root {
            let base = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
            looked += Loader.RootLayout.manifestDirectories.map { base + $0 }
        }
        looked += spec.paths
        let files = repo.counts.files
        let message = "no manifest was read: looked for *.xml in " + looked.joined(separator: ", ")
            + (files == 0 ? " and found no file" : " and found \(files) file\(files == 1 ? "" : "s"), none a manifest or archive")
        return message
    }
}

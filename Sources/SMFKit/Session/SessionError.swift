/// Why a `Session` stopped: facts, worded by the command line
/// (docs/EXIT-CODES.md gives each its status).
public enum SessionError: Error, Sendable, Equatable {
    /// A bad option value or request (exit 64): the message names the option.
    case usage(String)
    /// No manifest was read at all (exit 2): where the loader looked.
    case nothingRead(String)
    /// A name given to `option` did not resolve while an input could not be
    /// read, so it may be missing for that reason (exit 2): the unreadable
    /// inputs, and why the name did not resolve.
    case unresolvedAmidUnreadable(option: String, unreadable: [Diagnostic], error: RequestError)
    /// A file named by `option` could not be read (exit 2).
    case cannotRead(option: String, path: String)
}

/// What a `Session` says while it reads, before any result: the command
/// line prints these on standard error.
public enum SessionNotice: Sendable, Equatable {
    /// No input was named: the bundled sample is read as the root.
    case readingSample(root: String)
    /// The root looks like a zonepath rather than a zone's root.
    case zonepathWarning(String)
}

extension Session {
    /// The errors that mean an input could not be read at all (exit status
    /// 2, docs/EXIT-CODES.md).
    public static func unreadableInputs(_ repo: Repository) -> [Diagnostic] {
        repo.diagnostics.filter { [.pathMissing, .pathUnreadable, .symlinkLoop, .fileTooLarge].contains($0.code) && $0.severity == .error }
    }

    /// True when an input named on the command line could not be read at all.
    public static func inputUnreadable(_ repo: Repository) -> Bool {
        !unreadableInputs(repo).isEmpty
    }
}

/// Shell quoting: the one place where a word is made safe for /sbin/sh
/// (ksh93 on illumos) and for any POSIX shell. Every word the project writes
/// into a script or an inittab process field goes through `shellQuote` or
/// `shellWord`.

/// Quotes a value for the shell the way svc.startd quotes property values:
/// always in single quotes, a single quote written `'\''`.
public func shellQuote(_ s: String) -> String {
    "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// A shell word: left alone when it holds only safe characters, else quoted.
public func shellWord(_ s: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-:,+=@%")
    return !s.isEmpty && s.allSatisfy({ safe.contains($0) }) ? s : shellQuote(s)
}

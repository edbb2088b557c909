/// Shell quoting: the one place where a word is made safe for /sbin/sh
/// (ksh93 on illumos) and for any POSIX shell. Every word the project writes
/// into a script or an inittab process field goes through `shellQuote` or
/// `shellWord`.
///
/// Why the result is always exactly one word holding exactly `s`:
///
/// - `shellQuote`: between single quotes a POSIX shell (XCU 2.2.2) and ksh93
///   take every byte literally up to the next `'`: no expansion, no escape,
///   no line end, no comment, no glob, no field splitting. `s` is cut at its
///   single quotes; each piece goes between quotes and each `'` is written
///   `\'` outside them, and the pieces touch, so the shell joins them into
///   one word. In UTF-8 the byte 0x27 is never part of another character, so
///   a multibyte locale cannot hide a quote. The one thing no shell word can
///   hold is a NUL byte (argv strings end at it); names read from XML cannot
///   contain one.
/// - `shellWord` leaves a word bare only when every character is in
///   `[A-Za-z0-9/._:,+=@%-]`, a set in which a POSIX shell and ksh93 give no
///   character a meaning inside a word: no blank, no operator (`;&|<>()`), no
///   quote or escape (`'"\`), no expansion (`$`, `` ` ``, a leading `~`), no
///   glob or ksh93 pattern start (`*?[`, and `@(`, `+(` need a parenthesis),
///   no brace expansion (`{`), no comment (`#`). Such a word is the same
///   before and after the shell reads it. Characters outside ASCII are quoted.
///   The bare word is safe in any argument position; the project always
///   writes a literal program path as the first word of a command, so a
///   bare `A=B` is never read as an assignment, and a word starting with `-`
///   means the same quoted or not (quoting cannot stop a program from
///   reading an option: the names written are checked before, see
///   Render/ArtefactNames.swift, and never start with `-`).
///
/// Checked by running: Tests/SMFKitTests/InjectionTests.swift (hostile and
/// generated words through ksh93 and dash, argv compared) and the fuzzing in
/// Tests/SMFKitTests/QuotingFuzzTests.swift.

/// Quotes a value for the shell the way svc.startd quotes property values:
/// always in single quotes, a single quote written `'\''`.
///
/// Works on Unicode scalars: a `'` followed by a combining mark is one
/// Character to Swift (and to Foundation's string search), but the shell
/// reads its byte 0x27 as a quote. (Found by QuotingFuzzTests: the name
/// `x'\u{301}` ended the script half-way.)
public func shellQuote(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    out.append("'")
    for u in s.unicodeScalars {
        if u == "'" { out.append(contentsOf: "'\\''".unicodeScalars) } else { out.append(u) }
    }
    out.append("'")
    return String(out)
}

/// The characters a bare word may hold (see above).
private let shellSafe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-:,+=@%")

/// A shell word: left alone when it holds only safe characters, else quoted.
public func shellWord(_ s: String) -> String {
    !s.isEmpty && s.allSatisfy({ shellSafe.contains($0) }) ? s : shellQuote(s)
}

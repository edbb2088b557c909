/// How one wanted instance is started without SMF, as data: the method's
/// exec string and the method context that svc.startd would have applied
/// around it (usr/src/cmd/svc/startd/method.c `exec_method`: the context is
/// set up, then `/sbin/sh -c EXEC` runs with the SMF_* environment).
///
/// `MethodAnalyzer` fills it; `shellCommand` is the one place that turns it
/// into shell text. The text is one *simple command* (words only: no
/// assignment prefix, no redirection, no `&`, no `;`), so that it stays
/// correct after illumos init prefixes `exec ` to an inittab process field
/// (usr/src/cmd/init/init.c `getcmd`), and inside a script.
public struct LaunchCommand: Sendable, Hashable {
    /// A value of the environment: a literal, or the output of a command of
    /// the zone (`SMF_ZONENAME` is `$(/sbin/zonename)`: the zone's name is
    /// not known when the files are written).
    public enum Value: Sendable, Hashable {
        case literal(String)
        case commandOutput(String)
    }

    /// One variable of the method's environment.
    public struct Variable: Sendable, Hashable {
        /// A shell identifier (`MethodAnalyzer` leaves out any other name).
        public var name: String
        public var value: Value
        public init(name: String, value: Value) {
            self.name = name
            self.value = value
        }
    }

    /// The environment, in order: SMF_* first, then `method_environment`.
    public var environment: [Variable]
    /// Programs that apply parts of the method context, outermost first,
    /// each an argv prefix that runs the rest of the line
    /// (`["/usr/bin/newtask", "-p", "P"]`, `["/usr/bin/psecflags", "-s", "aslr", "-e"]`).
    public var wrappers: [[String]]
    /// The user to run as (`/usr/bin/su USER -c EXEC`), nil for root.
    public var user: String?
    /// The working directory, applied inside the `sh -c` string.
    public var workingDirectory: String?
    /// The expanded exec string, exactly as svc.startd passes it to `sh -c`.
    public var exec: String

    public init(environment: [Variable] = [], wrappers: [[String]] = [], user: String? = nil,
                workingDirectory: String? = nil, exec: String) {
        self.environment = environment
        self.wrappers = wrappers
        self.user = user
        self.workingDirectory = workingDirectory
        self.exec = exec
    }

    /// The string the final shell runs: the exec, after a `cd` when the
    /// context names a working directory (a failed `cd` stops the method, as
    /// a bad chdir does in svc.startd).
    ///
    /// - Complexity: O(length of the exec).
    public var shellString: String {
        guard let wd = workingDirectory else { return exec }
        return "cd \(shellWord(wd)) || exit 1; " + exec
    }

    /// The launch as one simple command of shell words: `/usr/bin/env` sets
    /// the variables (after init's `exec `, an assignment prefix would be
    /// taken as the command's name), the wrappers follow, and the exec runs
    /// in `/sbin/sh -c` (or `su USER -c`), quoted as one argument, exactly as
    /// svc.startd passes it. The result may be followed by redirections and
    /// `&`, or written as a line of a script.
    ///
    /// - Complexity: O(length of the command): quoted on each access.
    public var shellCommand: String {
        var words: [String] = []
        if !environment.isEmpty {
            words.append("/usr/bin/env")
            for v in environment {
                switch v.value {
                case .literal(let s): words.append(shellWord(v.name + "=" + s))
                // The name is quoted like any word (an identifier stays as it is);
                // the command is the project's own (`/sbin/zonename`).
                case .commandOutput(let c): words.append(shellWord(v.name + "=") + "\"$(\(c))\"")
                }
            }
        }
        for w in wrappers { words += w.map(shellWord) }
        if let user {
            words += ["/usr/bin/su", shellWord(user), "-c", shellQuote(shellString)]
        } else {
            words += ["/sbin/sh", "-c", shellQuote(shellString)]
        }
        return words.joined(separator: " ")
    }
}

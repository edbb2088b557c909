#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program with bytes on its standard input and collects its
/// standard output and error, with a time limit: what the report needs to
/// run Graphviz's `dot`, built on posix_spawn(3) and poll(2) rather than
/// Foundation's Process (docs/PERFORMANCE.md, "Start-up").
///
/// One thread does all of it: the input is written as the child reads it
/// (a non-blocking socket, so that a child which stops reading cannot
/// block us, and `send(MSG_NOSIGNAL)`, so that one which exits early
/// cannot kill us with SIGPIPE), while both outputs are drained, so no
/// pipe ever fills up.
public enum Spawn {
    public struct Outcome: Sendable {
        /// The exit status, when the program exited.
        public var status: Int32?
        /// The signal that ended it, when one did.
        public var signal: Int32?
        /// True when the time limit ran out and the program was sent SIGTERM.
        public var timedOut: Bool
        public var output: [UInt8]
        public var errorOutput: [UInt8]
    }

    /// Why the program could not be started (errno's words).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func run(_ executable: String, arguments: [String], input: [UInt8],
                           timeoutSeconds: Double) -> Result<Outcome, Failure> {
        var inPair: [Int32] = [-1, -1]
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &inPair) == 0 else { return .failure(failure("socketpair")) }
        guard pipe(&outPipe) == 0 else { closeAll(inPair); return .failure(failure("pipe")) }
        guard pipe(&errPipe) == 0 else { closeAll(inPair + outPipe); return .failure(failure("pipe")) }
        // The parent's ends must not leak into the child.
        for fd in [inPair[0], outPipe[0], errPipe[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPair[1], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in [inPair[1], outPipe[1], errPipe[1]] where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }

        // The child starts with no signal blocked and every signal at its
        // default action, whatever this process blocks or ignores (as
        // Foundation's Process does): a time limit's SIGTERM must end it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        closeAll([inPair[1], outPipe[1], errPipe[1]])
        guard spawned == 0 else {
            closeAll([inPair[0], outPipe[0], errPipe[0]])
            return .failure(Failure(description: String(cString: strerror(spawned))))
        }
        _ = fcntl(inPair[0], F_SETFL, fcntl(inPair[0], F_GETFL) | O_NONBLOCK)

        var outcome = Outcome(status: nil, signal: nil, timedOut: false, output: [], errorOutput: [])
        var written = 0
        var inFD = inPair[0], outFD = outPipe[0], errFD = errPipe[0]
        if input.isEmpty { close(inFD); inFD = -1 }
        let deadline = monotonicSeconds() + timeoutSeconds
        var buffer = [UInt8](repeating: 0, count: 65536)
        while outFD >= 0 || errFD >= 0 {
            var fds: [pollfd] = []
            if inFD >= 0 { fds.append(pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0)) }
            if outFD >= 0 { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
            if errFD >= 0 { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
            let left = deadline - monotonicSeconds()
            if left <= 0 && !outcome.timedOut {
                outcome.timedOut = true
                kill(pid, SIGTERM)
            }
            let wait = outcome.timedOut ? 1000 : Int32(min(max(left * 1000, 1), 1000))
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for p in fds where p.revents != 0 {
                if p.fd == inFD {
                    let n = input.withUnsafeBytes { raw in
                        send(inFD, raw.baseAddress! + written, raw.count - written, Int32(MSG_NOSIGNAL))
                    }
                    if n > 0 { written += n }
                    if written == input.count || (n < 0 && errno != EAGAIN && errno != EINTR) {
                        close(inFD)
                        inFD = -1
                    }
                } else {
                    let n = buffer.withUnsafeMutableBytes { read(p.fd, $0.baseAddress, $0.count) }
                    if n > 0 {
                        if p.fd == outFD { outcome.output += buffer[0..<n] } else { outcome.errorOutput += buffer[0..<n] }
                    } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                        close(p.fd)
                        if p.fd == outFD { outFD = -1 } else { errFD = -1 }
                    }
                }
            }
        }
        if inFD >= 0 { close(inFD) }
        if outFD >= 0 { close(outFD) }
        if errFD >= 0 { close(errFD) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // <sys/wait.h>'s macros, which Swift does not import.
        let low = status & 0x7f
        if low == 0 { outcome.status = (status >> 8) & 0xff } else if low != 0x7f { outcome.signal = low }
        return .success(outcome)
    }

    private static func failure(_ call: String) -> Failure {
        Failure(description: "\(call): " + String(cString: strerror(errno)))
    }

    private static func closeAll(_ fds: [Int32]) {
        for fd in fds where fd >= 0 { close(fd) }
    }

    private static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

import Testing
@testable import SMFKit

/// Spawn runs Graphviz for the report without Foundation's Process: these
/// run real programs through it (cat, sh, sleep) and check what comes back.
@Suite("Spawn: a program with input, outputs, status and a time limit")
struct SpawnTests {
    @Test("a megabyte through cat comes back whole, and the status is 0")
    func roundTrip() throws {
        let input = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let run = try Spawn.run("/bin/cat", arguments: [], input: input, timeoutSeconds: 30).get()
        #expect(run.status == 0)
        #expect(run.signal == nil)
        #expect(!run.timedOut)
        #expect(run.output.count == input.count)
        #expect(run.output == input)
        #expect(run.errorOutput.isEmpty)
    }

    @Test("standard error and the exit status are kept apart from the output")
    func statusAndErrors() throws {
        let run = try Spawn.run("/bin/sh", arguments: ["-c", "echo out; echo err >&2; exit 3"], input: [],
                                timeoutSeconds: 30).get()
        #expect(run.status == 3)
        #expect(String(decoding: run.output, as: UTF8.self) == "out\n")
        #expect(String(decoding: run.errorOutput, as: UTF8.self) == "err\n")
    }

    @Test("a child that exits without reading its input does not kill the caller (no SIGPIPE)")
    func earlyExit() throws {
        let input = [UInt8](repeating: 0x41, count: 4 << 20)
        let run = try Spawn.run("/bin/sh", arguments: ["-c", "exit 0"], input: input, timeoutSeconds: 30).get()
        #expect(run.status == 0)
        #expect(!run.timedOut)
    }

    @Test("a signal that ends the child is reported as a signal, not a status")
    func signalled() throws {
        let run = try Spawn.run("/bin/sh", arguments: ["-c", "kill -KILL $$"], input: [], timeoutSeconds: 30).get()
        #expect(run.status == nil)
        #expect(run.signal == 9)
    }

    @Test("past the time limit the child is sent SIGTERM and the run says so")
    func timeLimit() throws {
        let run = try Spawn.run("/bin/sleep", arguments: ["30"], input: [], timeoutSeconds: 0.3).get()
        #expect(run.timedOut)
        #expect(run.signal == 15)
    }

    @Test("a program that does not exist is a failure with errno's words")
    func missing() {
        let result = Spawn.run("/nonexistent/program", arguments: [], input: [], timeoutSeconds: 5)
        guard case .failure(let f) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(f.description.contains("No such file"))
    }
}

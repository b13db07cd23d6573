import BookedBarberHTTP
import Foundation
import TestSupport
import Testing

@testable import BookedBarberServer

/// The sendmail command: its line split like a shell splits words (no shell), one run with the
/// message on stdin, exit 0 as the only success, a child that hangs killed at the timeout, and a
/// child that exits 0 without reading the whole message not taken for a hand-off.
@Suite struct SendmailCommandTests {
    @Test func commandLinesSplitLikeAShellWithoutExpanding() {
        #expect(ServerConfiguration.splitCommandLine("/usr/bin/msmtp -t -i") == ["/usr/bin/msmtp", "-t", "-i"])
        #expect(ServerConfiguration.splitCommandLine("  msmtp   -C '/tmp/my rc'  -t ") == ["msmtp", "-C", "/tmp/my rc", "-t"])
        #expect(ServerConfiguration.splitCommandLine(#"send "a \"b\" \\ \$HOME" c\ d"#) == ["send", #"a "b" \ $HOME"#, "c d"])
        #expect(ServerConfiguration.splitCommandLine(#"x "\n" 'it''s' ''"#) == ["x", #"\n"#, "its", ""])
        #expect(ServerConfiguration.splitCommandLine("msmtp $HOME; rm -rf / `id`") == ["msmtp", "$HOME;", "rm", "-rf", "/", "`id`"])
        for bad in ["", "   ", "msmtp 'open", "msmtp \"open", "msmtp \\"] { #expect(ServerConfiguration.splitCommandLine(bad) == nil, "\(bad)") }
    }

    @Test func programsAreFoundOnThePathOrByTheirPath() throws {
        #expect(SendmailCommand.resolve("sh", path: "/nonexistent:/bin") == "/bin/sh")
        #expect(SendmailCommand.resolve("/bin/sh") == "/bin/sh")
        #expect(SendmailCommand.resolve("no-such-sendmail-program", path: "/bin:/usr/bin") == nil)
        let directory = try makeTemporaryDirectory("sendmail-path")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(SendmailCommand.resolve(directory) == nil, "a directory")
        #expect(SendmailCommand.resolve("sendmail-path", path: FileManager.default.temporaryDirectory.path + "/nonexistent") == nil)
    }

    @Test func aRunHandsTheMessageToStdinAndOnlyExit0IsSuccess() async throws {
        let directory = try makeTemporaryDirectory("sendmail")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let message = Array("To: a@b.test\nSubject: hi\n\nbody ünï\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 300_000)
        let copy = SendmailCommand(arguments: ["/bin/sh", "-c", "cat > \(directory)/mail"], timeout: .seconds(30))
        #expect(await copy.send(message) == .accepted)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/mail"))) == message)

        let refusing = SendmailCommand(arguments: ["/bin/sh", "-c", "cat >/dev/null; echo 'no route' >&2; exit 75"], timeout: .seconds(30))
        #expect(await refusing.send(message) == .failed("exited with status 75: no route"))

        let deaf = SendmailCommand(arguments: ["/bin/sh", "-c", "exit 0"], timeout: .seconds(30))
        guard case .failed(let reason) = await deaf.send(message) else { Issue.record("a child that read nothing took the mail"); return }
        #expect(reason.hasPrefix("exited 0 without reading the whole message"))

        let missing = SendmailCommand(arguments: [directory + "/missing"], timeout: .seconds(30))
        guard case .failed(let start) = await missing.send(message) else { Issue.record("a missing program took the mail"); return }
        #expect(start.hasPrefix("could not start"))
    }

    @Test func aChildThatHangsIsKilledAtTheTimeout() async throws {
        let hanging = SendmailCommand(arguments: ["/bin/sh", "-c", "cat >/dev/null; exec sleep 600"], timeout: .seconds(1))
        #expect(await hanging.send(Array("x\n".utf8)) == .failed("killed after 1 s without finishing"))
    }
}

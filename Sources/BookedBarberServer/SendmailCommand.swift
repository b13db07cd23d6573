import BookedBarberHTTP
import BookingEngine
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The sendmail-compatible program mail is handed to (`--sendmail "msmtp -t -i"`): run with its
/// arguments, no shell, the message on its standard input; exit status 0 means it took the mail.
///
/// A run never blocks the cooperative pool (it waits on a thread of `Offload.waiting`) and never
/// outlives `timeout`: then the child is killed (SIGKILL) and the run fails. Its output (stdout
/// and stderr together) is read as it comes, so a chatty child cannot stall on a full pipe, and
/// its first 2 KiB are kept for the log. A child that exits 0 without reading the whole message
/// has not taken it, and the run fails.
public struct SendmailCommand: Sendable {
    /// The program (an absolute path after `resolved`) and its arguments.
    let arguments: [String]
    let timeout: Duration

    enum Outcome: Sendable, Equatable {
        case accepted
        case failed(String)
    }

    /// The program looked up on `PATH` when its name has no `/`; nil if it is not an executable file
    /// (a directory is not).
    public static func resolve(_ program: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        let candidates =
            program.contains("/") ? [program] : (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map { "\($0)/\(program)" }
        return candidates.first { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && FileManager.default.isExecutableFile(atPath: path)
        }
    }

    func send(_ message: [UInt8]) async -> Outcome {
        let arguments = arguments
        let timeout = timeout
        return await offload(.waiting) { Self.run(arguments, message, timeout: timeout) }
    }

    /// What a run's helper threads report back. Why this is safe: both fields are only touched
    /// under the mutex.
    private final class RunReport: Sendable {
        struct Fields {
            var output: [UInt8] = []
            var killed = false
            /// Set once the child was waited for: from then on its pid may belong to another
            /// process, so the timeout kills nothing.
            var exited = false
        }
        let fields = Mutex(Fields())
    }

    static let keptOutput = 2048

    private static func run(_ arguments: [String], _ message: [UInt8], timeout: Duration) -> Outcome {
        // A write to a pipe whose reader has gone must fail with EPIPE, not end the server.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            return .failed("could not start \(arguments[0]): \(error)")
        }
        let report = RunReport()
        let pid = process.processIdentifier
        let killer = DispatchWorkItem {
            report.fields.withLock { fields in
                guard !fields.exited else { return }
                fields.killed = true
                kill(pid, SIGKILL)
            }
        }
        DispatchQueue.global(qos: .utility).asyncAfter(
            deadline: .now() + .milliseconds(Int(timeout.components.seconds * 1000)), execute: killer)
        let reader = DispatchGroup()
        reader.enter()
        DispatchQueue.global(qos: .utility).async {
            let handle = output.fileHandleForReading
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                report.fields.withLock { fields in
                    fields.output += chunk.prefix(max(0, keptOutput - fields.output.count))
                }
            }
            reader.leave()
        }
        let wroteAll = writeAll(message, to: input.fileHandleForWriting.fileDescriptor)
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        report.fields.withLock { $0.exited = true }
        killer.cancel()
        // A grandchild may keep the output open; its words are not worth waiting for.
        _ = reader.wait(timeout: .now() + .seconds(1))
        let (text, killed) = report.fields.withLock { fields in
            (String(decoding: fields.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), fields.killed)
        }
        let said = text.isEmpty ? "" : ": " + text
        if killed { return .failed("killed after \(timeout.components.seconds) s without finishing" + said) }
        if process.terminationReason == .uncaughtSignal { return .failed("ended by signal \(process.terminationStatus)" + said) }
        if process.terminationStatus != 0 { return .failed("exited with status \(process.terminationStatus)" + said) }
        if !wroteAll { return .failed("exited 0 without reading the whole message" + said) }
        return .accepted
    }

    /// Writes every byte, retrying interrupted and partial writes; false when the reader went away.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}

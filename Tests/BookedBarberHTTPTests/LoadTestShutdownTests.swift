import BookedBarberHTTP
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension RealProcessTests {
    /// The load generator's worker processes end with their coordinator: on SIGTERM to it, and
    /// when it is killed outright. Without this, an interrupted run left workers loading the
    /// server, or crashing on a write to the closed pipe.
    @Suite struct LoadTestShutdownTests {
        /// The worker processes of `pid`, once it has started `count` of them.
        static func workers(of pid: Int32, count: Int) async throws -> [Int32] {
            for _ in 0..<600 {
                // Each thread lists the children it started.
                let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
                let children = tasks.flatMap { task in
                    ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? "")
                        .split(separator: " ").compactMap { Int32($0) }
                }
                if children.count >= count { return children }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("the coordinator never started \(count) workers")
            return []
        }

        /// Whether `pid` is gone (or a zombie waiting to be reaped), within `seconds`.
        static func ended(_ pid: Int32, within seconds: Double) async throws -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
                if stat.isEmpty || stat.split(separator: ")").last?.split(separator: " ").first == "Z" { return true }
                try await Task.sleep(for: .milliseconds(50))
            }
            return false
        }

        static func start(against server: ServerProcess) throws -> (Process, Pipe) {
            let loadtest = Process()
            loadtest.executableURL = ServerProcess.executable.deletingLastPathComponent().appendingPathComponent("loadtest")
            loadtest.arguments = [
                "--target", server.base, "--users", "100", "--rate", "50", "--duration", "120", "--processes", "2", "--setup",
                "--admin-email", "admin@process.test", "--admin-password", "admin-password", "--seed", "3",
            ]
            let output = Pipe()
            loadtest.standardOutput = output
            loadtest.standardError = output
            try loadtest.run()
            return (loadtest, output)
        }

        static func withServer(_ body: (ServerProcess) async throws -> Void) async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bb-lt-\(UInt64.random(in: 0 ... .max))").path
            defer {
                try? FileManager.default.removeItem(atPath: directory)
                try? FileManager.default.removeItem(atPath: directory + ".log")
            }
            let server = ServerProcess(dataDirectory: directory)
            try await server.start()
            try await body(server)
            #expect(server.terminate() == 0)
        }

        @Test func sigtermToTheCoordinatorEndsEveryWorkerWithinFiveSeconds() async throws {
            try await Self.withServer { server in
                let (loadtest, output) = try Self.start(against: server)
                let workers = try await Self.workers(of: loadtest.processIdentifier, count: 2)
                kill(loadtest.processIdentifier, SIGTERM)
                for worker in workers { #expect(try await Self.ended(worker, within: 5), "worker \(worker) still runs") }
                let text = await offload(.waiting) {
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    loadtest.waitUntilExit()
                    return String(decoding: data, as: UTF8.self)
                }
                #expect(loadtest.terminationReason == .exit && loadtest.terminationStatus == 128 + SIGTERM, "\(text)")
                #expect(text.contains("workers ended"), "\(text)")
                #expect(!text.contains("Fatal error") && !text.contains("Crash") && !text.contains("backtrace"), "\(text)")
            }
        }

        @Test func workersEndWhenTheCoordinatorIsKilled() async throws {
            try await Self.withServer { server in
                let (loadtest, _) = try Self.start(against: server)
                let workers = try await Self.workers(of: loadtest.processIdentifier, count: 2)
                kill(loadtest.processIdentifier, SIGKILL)
                await offload(.waiting) { loadtest.waitUntilExit() }
                for worker in workers { #expect(try await Self.ended(worker, within: 5), "worker \(worker) still runs") }
            }
        }
    }
}

import BookingEngine
import Foundation

/// Runs a pytest suite of `Tests/Python/<area>` against the debug `bookedbarber` binary next to
/// this test bundle (`BOOKEDBARBER_BINARY`), and returns pytest's status and output.
enum PythonSuite {
    static func run(_ area: String, environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "Tests/Python/\(area)"]
        process.currentDirectoryURL = root
        var variables = ProcessInfo.processInfo.environment
        variables["BOOKEDBARBER_BINARY"] = ServerProcess.executable.path
        for (name, value) in environment { variables[name] = value }
        process.environment = variables
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("pytest-\(area)-\(UInt64.random(in: 0 ... .max)).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer {
            try? handle.close()
            try? FileManager.default.removeItem(at: output)
        }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let status = await offload { () -> Int32 in
            process.waitUntilExit()
            return process.terminationStatus
        }
        return (status, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }
}

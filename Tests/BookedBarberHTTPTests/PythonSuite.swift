import BookedBarberHTTP
import Foundation

/// Runs a pytest suite of `Tests/Python/<area>` (the project's Python peers: Selenium, …) with
/// `BOOKEDBARBER_BINARY` set to the `bookedbarber` executable built next to this test bundle, and
/// returns pytest's exit status and its whole output, for the calling test to report.
enum PythonSuite {
    static func run(_ area: String, environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "pytest", "-q", "Tests/Python/\(area)"]
        process.currentDirectoryURL = repositoryRoot
        var variables = ProcessInfo.processInfo.environment
        variables["BOOKEDBARBER_BINARY"] = ServerProcess.executable.path
        variables["PYTHONDONTWRITEBYTECODE"] = "1"
        for (name, value) in environment { variables[name] = value }
        process.environment = variables
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Reading to the end and waiting both block: off the cooperative pool.
        let output = await offload(.waiting) { () -> Data in
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// The checkout this test file is in.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}

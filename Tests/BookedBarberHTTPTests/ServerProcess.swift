import Foundation
import FoundationNetworking
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `bookedbarber` executable, built next to this test bundle, run as a child process on
/// a loopback port with a data directory of its own.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched by the test that owns this object, one call at a time.
    let port: Int
    let dataDirectory: String
    private var process: Process?
    let output: URL

    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bookedbarber")
    }

    /// - Parameter output: where the server's output goes; next to the data directory by default.
    init(dataDirectory: String, output: String? = nil) {
        self.port = Self.listeningPort()
        self.dataDirectory = dataDirectory
        self.output = URL(fileURLWithPath: output ?? dataDirectory + ".log")
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// A port for a child server to listen on: random, below Linux's ephemeral range (32768 and
    /// up by default), from which the kernel numbers the tests' own client sockets, so none of
    /// them can hold it (a port from 20000 to 40000 once collided with one: `bind` failed with
    /// "Address already in use"). The process suites run one at a time, so two children do not
    /// draw at once.
    static func listeningPort() -> Int { Int.random(in: 20_000..<32_768) }

    /// Starts the server and waits until it is ready.
    /// - Parameters:
    ///   - rateLimited: keep `serve`'s default rate limiting; off otherwise, since the tests book
    ///     from many workers on one address.
    ///   - openFileLimit: run the server under `ulimit -n`.
    ///   - bcryptCost: cheap by default, so registrations are fast.
    ///   - ready: what a `/readiness` answer must show to count as started (200 by default; a
    ///     server that comes up read-only answers 503 once it serves).
    func start(
        extra: [String] = [], rateLimited: Bool = false, openFileLimit: Int? = nil, bcryptCost: Int = 4,
        ready: @Sendable (HTTP.Response) -> Bool = { $0.status == 200 }
    ) async throws {
        let process = Process()
        let arguments = [
            "serve", "--port", String(port), "--data-dir", dataDirectory, "--bcrypt-cost", String(bcryptCost),
            "--admin-email", "admin@process.test", "--admin-password", "admin-password", "--snapshot-every", "40",
        ] + (rateLimited ? [] : ["--no-rate-limit"]) + extra
        if let openFileLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(openFileLimit) && exec \"$0\" \"$@\"", Self.executable.path] + arguments
        } else {
            process.executableURL = Self.executable
            process.arguments = arguments
        }
        if !FileManager.default.fileExists(atPath: output.path) { _ = FileManager.default.createFile(atPath: output.path, contents: nil) }
        let log = try FileHandle(forWritingTo: output)
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        for _ in 0..<600 {
            if let response = try? await HTTP.request("GET", base + "/readiness"), ready(response) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("server did not become ready: \(try String(contentsOf: output, encoding: .utf8))")
    }

    /// The child's process id while it runs.
    var pid: Int32? { process?.processIdentifier }

    func kill9() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Sends SIGTERM and returns the exit status.
    func terminate() -> Int32 {
        guard let process else { return -1 }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    /// The exit status once the process has exited by itself, or nil if it still runs after `timeout`.
    func exitStatus(within timeout: Duration) async -> Int32? {
        guard let process else { return nil }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        guard !process.isRunning else { return nil }
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    /// Whether the child is still running.
    var isRunning: Bool { process?.isRunning ?? false }

    /// Waits for the process to exit (after a signal sent elsewhere) and returns its status.
    func waitForExit() -> Int32 {
        guard let process else { return -1 }
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    deinit {
        if let process { kill(process.processIdentifier, SIGKILL) }
    }
}

/// A small JSON-over-HTTP client for talking to the child process.
enum HTTP {
    struct Response: Sendable {
        var status: Int
        var body: Data
        var headers: [String: String] = [:]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        // A liveness bound, not a timing check: a login against a bcrypt cost-15 hash takes
        // seconds on a quiet core and far longer when the two cores are shared.
        configuration.timeoutIntervalForRequest = 120
        return URLSession(configuration: configuration)
    }()

    static func request(_ method: String, _ url: String, token: String? = nil, json: [String: Any]? = nil) async throws -> Response {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
        }
        let (data, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] { headers[String(describing: name).lowercased()] = String(describing: value) }
        return Response(status: http?.statusCode ?? 0, body: data, headers: headers)
    }
}

import ArgumentParser
import Hummingbird

/// The ceilings for benchmarks: one constant small JSON body at `GET /constant`, answered by
/// Hummingbird (the framework BookedBarber runs on) or, with `--raw-nio`, by a bare SwiftNIO
/// HTTP/1 pipeline (`RawNIOServer`: no router, no middleware). BENCHMARKS.md reports BookedBarber's
/// figures as ratios to both, measured in the same run on the same machine.
@main
struct ReferenceServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference-server", abstract: "Serve GET /constant with a constant JSON body (benchmark ceiling).")

    @Option var host = "127.0.0.1"
    @Option var port = 8081
    @Flag(name: .customLong("raw-nio"), help: "Answer with a bare SwiftNIO HTTP/1 server instead of Hummingbird.")
    var rawNIO = false

    static let body = #"{"status":"ok","slots":[]}"#

    func run() async throws {
        if rawNIO { return try await RawNIOServer(host: host, port: port, body: Self.body).run() }
        let router = Router()
        let body = ByteBuffer(string: Self.body)
        router.get("/constant") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)))
        try await app.runService()
    }
}

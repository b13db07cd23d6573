import ArgumentParser
import Hummingbird

/// The ceiling for benchmarks: Hummingbird answering one constant small JSON body, with nothing
/// else in the way. BENCHMARKS.md reports BookedBarber's figures as ratios to this one, measured
/// in the same run on the same machine.
@main
struct ReferenceServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference-server", abstract: "Serve GET /constant with a constant JSON body (benchmark ceiling).")

    @Option var host = "127.0.0.1"
    @Option var port = 8081

    func run() async throws {
        let router = Router()
        let body = ByteBuffer(string: #"{"status":"ok","slots":[]}"#)
        router.get("/constant") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)))
        try await app.runService()
    }
}

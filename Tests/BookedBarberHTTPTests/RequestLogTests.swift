import BookedBarberHTTP
import Hummingbird
import HummingbirdTesting
import Logging
import TestSupport
import Testing

/// One line per request: at info with the access log, at debug without it, so written only when
/// the server's logger is at debug or below (`ServerConfiguration.HTTP.logLevel`).
@Suite struct RequestLogTests {
    /// The request lines written for one `GET /health` by an app configured by `configure`, whose
    /// logger records everything.
    func requestLines(_ configure: (inout ServerConfiguration.HTTP) -> Void) async throws -> [RecordingLogHandler.Entry] {
        let harness = try await APIHarness.make { configure(&$0.http) }
        let (logger, store) = RecordingLogHandler.logger()
        try await Application(router: harness.app.makeRouter(), logger: logger).test(.router) { client in
            let response = try await APIClient(client: client).send(.get, "/health")
            #expect(response.status == .ok)
        }
        return store.value.filter { $0.message == "Request" }
    }

    @Test func theAccessLogWritesEveryRequestAtInfo() async throws {
        let lines = try await requestLines { $0.accessLog = true }
        #expect(lines.map(\.level) == [.info])
        #expect(lines.first?.metadata["hb.request.path"]?.description == "/health")
        #expect(lines.first?.metadata["hb.request.method"]?.description == "GET")
    }

    @Test func withoutTheAccessLogRequestsAreLoggedAtDebugLevel() async throws {
        let lines = try await requestLines { $0.logLevel = .debug }
        #expect(lines.map(\.level) == [.debug])
    }

    @Test func atInfoLevelWithoutTheAccessLogNoRequestIsLogged() async throws {
        let lines = try await requestLines { $0.logLevel = .info }
        #expect(lines.isEmpty)
    }
}

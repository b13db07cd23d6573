import BookedBarberHTTP
import BookingCore
import BookingEngine
import Hummingbird
import HummingbirdTesting
import Testing

/// While the state is being recovered the server already answers, but only to say it is not
/// ready: `/readiness` is 503 and business routes are 503 `unavailable`.
@Suite struct RecoveryReadinessTests {
    @Test func readinessIs503AndBusinessRoutesUnavailableUntilRecoveryFinishes() async throws {
        var configuration = ServerConfiguration()
        configuration.auth.jwtSecret = Array("test-secret-test-secret-test-secret!".utf8)
        let runtime = ServerRuntime()
        let app = try await BookedBarberApp(configuration: configuration, runtime: runtime)
        try await Application(router: app.makeRouter()).test(.router) { client in
            let api = APIClient(client: client)
            let readiness = try await api.send(.get, "/readiness")
            #expect(readiness.status == .serviceUnavailable)
            #expect(readiness["ready"] as? Bool == false)
            #expect(readiness["phase"] as? String == "recovering")
            #expect(try await api.send(.get, "/health").status == .ok)
            let shop = try await api.send(.get, "/api/v2/shop")
            #expect(shop.status == .serviceUnavailable)
            #expect(shop.errorCode == "unavailable")
            #expect(shop.headers[.retryAfter] == "1")

            runtime.becomeReady(ShopEngine(clock: { Instant(seconds: 0) }))
            #expect(try await api.send(.get, "/readiness").status == .ok)
            #expect(try await api.send(.get, "/api/v2/shop").status == .ok)

            runtime.startDraining()
            #expect(try await api.send(.get, "/readiness").status == .serviceUnavailable)
            #expect(try await api.send(.get, "/api/v2/shop").errorCode == "unavailable")
        }
    }
}

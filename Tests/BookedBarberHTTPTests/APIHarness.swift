import BookedBarberHTTP
import BookingCore
import BookingEngine
import Logging
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let current: Mutex<Instant>
    init(_ start: Instant) { current = Mutex(start) }
    var now: Instant { current.withLock { $0 } }
    func set(_ instant: Instant) { current.withLock { $0 = instant } }
}

/// A decoded answer: status, headers and the JSON body (nil when empty or not JSON).
struct APIResponse {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var json: Any?
    var raw: String

    var object: [String: Any] { json as? [String: Any] ?? [:] }
    subscript(key: String) -> Any? { object[key] }
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
}

/// Drives the real router (every middleware included) through Hummingbird's test client.
struct APIClient: Sendable {
    let client: any TestClientProtocol

    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: Any? = nil, rawBody: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> APIResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let rawBody {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: rawBody)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            let text = String(buffer: response.body)
            let parsed = text.isEmpty ? nil : try? JSONSerialization.jsonObject(with: Data(text.utf8))
            return APIResponse(status: response.status, headers: response.headers, json: parsed, raw: text)
        }
    }

    /// Registers a client and returns its token and user id.
    func register(_ email: String, password: String = "password123", name: String = "Client") async throws -> (token: String, id: Int) {
        let response = try await send(.post, "/api/v2/auth/register", json: ["email": email, "password": password, "name": name])
        #expect(response.status == .created, "register \(email): \(response.raw)")
        let user = response["user"] as? [String: Any]
        return (response["token"] as? String ?? "", user?["id"] as? Int ?? 0)
    }

    func login(_ email: String, _ password: String) async throws -> String {
        let response = try await send(.post, "/api/v2/auth/login", json: ["email": email, "password": password])
        #expect(response.status == .ok, "login \(email): \(response.raw)")
        return response["token"] as? String ?? ""
    }
}

/// A server with an admin (`admin@shop.test` / `admin-password`), a shop in America/New_York with
/// the contract's default rules, and the clock at `now`.
struct APIHarness {
    static let adminEmail = "admin@shop.test"
    static let adminPassword = "admin-password"
    static let defaultNow = RFC3339.parse("2027-03-01T12:00:00Z")!

    let app: BookedBarberApp
    let clock: ManualClock

    static func make(now: Instant = defaultNow, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> APIHarness {
        var configuration = ServerConfiguration()
        configuration.auth.jwtSecret = Array("test-secret-test-secret-test-secret!".utf8)
        configuration.auth.bcryptCost = 4
        configuration.bootstrap.adminEmail = adminEmail
        configuration.bootstrap.adminPassword = adminPassword
        configure(&configuration)
        let clock = ManualClock(now)
        let app = try await BookedBarberApp(configuration: configuration, clock: { clock.now })
        try await app.bootstrapAdmin(logger: .init(label: "test"))
        _ = try await app.engine.updateShop { $0.timeZone = "America/New_York" }
        return APIHarness(app: app, clock: clock)
    }

    /// Runs `body` against the router with a client.
    func run<T: Sendable>(_ body: @Sendable (APIClient) async throws -> T) async throws -> T {
        try await Application(router: app.makeRouter()).test(.router) { client in
            try await body(APIClient(client: client))
        }
    }
}

extension APIClient {
    /// As admin: a barber working `hours` every day (shop-local), and a service; returns their ids.
    func setUpBarberAndService(adminToken: String, hours: (String, String) = ("09:00", "17:00"), buffer: Int = 0,
                               duration: Int = 30, price: Int = 2500) async throws -> (barber: Int, service: Int) {
        let barber = try await send(.post, "/api/v2/barbers", token: adminToken, json: ["name": "Barber"])
        #expect(barber.status == .created, "\(barber.raw)")
        let barberID = barber["id"] as? Int ?? 0
        let day: [[String: String]] = [["start": hours.0, "end": hours.1]]
        let weekly = Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0.rawValue, day) })
        let schedule = try await send(
            .put, "/api/v2/barbers/\(barberID)/schedule", token: adminToken, json: ["weekly": weekly, "buffer_minutes": buffer])
        #expect(schedule.status == .ok, "\(schedule.raw)")
        let service = try await send(
            .post, "/api/v2/services", token: adminToken,
            json: ["name": "Cut \(barberID)", "duration_minutes": duration, "price_cents": price])
        #expect(service.status == .created, "\(service.raw)")
        return (barberID, service["id"] as? Int ?? 0)
    }
}

import BookedBarberHTTP
import BookingCore
import BookingEngine
import Logging
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import TestSupport
import Testing

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
    /// The HS256 key every harness signs tokens with.
    static let jwtSecret = Array("test-secret-test-secret-test-secret!".utf8)
    static let defaultNow = RFC3339.parse("2027-03-01T12:00:00Z")!

    let app: BookedBarberApp
    let clock: ManualClock

    /// - Parameter timeZone: the shop's time zone; nil keeps every setting at the contract's default.
    static func make(now: Instant = defaultNow, timeZone: String? = "America/New_York",
                     configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> APIHarness {
        var configuration = ServerConfiguration()
        configuration.auth.jwtSecret = jwtSecret
        configuration.auth.bcryptCost = 4
        configuration.bootstrap.adminEmail = adminEmail
        configuration.bootstrap.adminPassword = adminPassword
        // Suites send hundreds of requests through one router, all from the same (unknown) peer:
        // rate limiting is off here; RateLimitTests switch it on.
        configuration.rateLimit.enabled = false
        // Tokens expire by the shop's clock, which suites move days ahead: a year keeps a token
        // issued at the start valid; BearerTokenRefusalTests set short lifetimes of their own.
        configuration.auth.tokenLifetime = .seconds(366 * 24 * 3600)
        configure(&configuration)
        let clock = ManualClock(now)
        let app = try await BookedBarberApp(configuration: configuration, clock: { clock.now })
        try await app.bootstrapAdmin(into: app.engine, logger: .init(label: "test"))
        if let timeZone { _ = try await app.engine.updateShop { $0.timeZone = timeZone } }
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

// MARK: - Shared helpers of the HTTP suites

extension APIResponse {
    /// The JSON objects of the array under `key`.
    func list(_ key: String) -> [[String: Any]] { object[key] as? [[String: Any]] ?? [] }
    var id: Int { object["id"] as? Int ?? 0 }
    var errorMessage: String? { (object["error"] as? [String: Any])?["message"] as? String }
    /// The body re-serialized with sorted keys, for comparing JSON values (key order is not part of JSON).
    var canonical: String {
        guard let json, let data = try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]) else { return raw }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Expects the contract's error answer: `status`, a JSON content type, and a body that is exactly
/// `{"error": {"code": code, "message": <non-empty text>}}` with no other keys.
func expectError(_ response: APIResponse, _ status: HTTPResponse.Status, _ code: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.status == status, "\(response.raw)", sourceLocation: sourceLocation)
    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    let envelope = response.json as? [String: Any]
    #expect(envelope.map { Set($0.keys) } == ["error"], "\(response.raw)", sourceLocation: sourceLocation)
    let inner = envelope?["error"] as? [String: Any]
    #expect(inner.map { Set($0.keys) } == ["code", "message"], "\(response.raw)", sourceLocation: sourceLocation)
    #expect(inner?["code"] as? String == code, "\(response.raw)", sourceLocation: sourceLocation)
    let message = inner?["message"] as? String ?? ""
    #expect(!message.isEmpty, "\(response.raw)", sourceLocation: sourceLocation)
}

extension APIClient {
    func adminToken() async throws -> String { try await login(APIHarness.adminEmail, APIHarness.adminPassword) }

    /// `start`-`end` on every day of the week, as the schedule body's `weekly`.
    static func everyDay(_ start: String, _ end: String) -> [String: [[String: String]]] {
        Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0.rawValue, [["start": start, "end": end]]) })
    }

    /// As admin: a barber (with a login when `email` is given) working `hours` every day.
    func createBarber(adminToken: String, name: String = "Barber", email: String? = nil, password: String = "barber-password",
                      hours: (String, String)? = ("09:00", "17:00"), buffer: Int = 0) async throws -> Int {
        var body: [String: Any] = ["name": name]
        if let email {
            body["email"] = email
            body["password"] = password
        }
        let created = try await send(.post, "/api/v2/barbers", token: adminToken, json: body)
        #expect(created.status == .created, "\(created.raw)")
        if let hours {
            let schedule = try await send(
                .put, "/api/v2/barbers/\(created.id)/schedule", token: adminToken,
                json: ["weekly": Self.everyDay(hours.0, hours.1), "buffer_minutes": buffer])
            #expect(schedule.status == .ok, "\(schedule.raw)")
        }
        return created.id
    }

    /// As admin: a service, offered by `barberIDs` (every barber when nil).
    func createService(adminToken: String, name: String = "Cut", duration: Int = 30, price: Int = 2500,
                       barberIDs: [Int]? = nil) async throws -> Int {
        var body: [String: Any] = ["name": name, "duration_minutes": duration, "price_cents": price]
        if let barberIDs { body["barber_ids"] = barberIDs }
        let created = try await send(.post, "/api/v2/services", token: adminToken, json: body)
        #expect(created.status == .created, "\(created.raw)")
        return created.id
    }

    func book(_ token: String, barber: Int, service: Int, start: String, clientID: Int? = nil, notes: String? = nil,
              headers: HTTPFields = [:]) async throws -> APIResponse {
        var body: [String: Any] = ["barber_id": barber, "service_id": service, "start": start]
        if let clientID { body["client_id"] = clientID }
        if let notes { body["notes"] = notes }
        return try await send(.post, "/api/v2/appointments", token: token, json: body, headers: headers)
    }

    /// The listed slots of `service` on `date` (one barber's, or every barber's when nil).
    func slots(service: Int, date: String, barber: Int? = nil) async throws -> [[String: Any]] {
        let uri = "/api/v2/appointments/slots?service_id=\(service)&date=\(date)" + (barber.map { "&barber_id=\($0)" } ?? "")
        let response = try await send(.get, uri)
        #expect(response.status == .ok, "\(response.raw)")
        return response.list("slots")
    }

    func slotStarts(service: Int, date: String, barber: Int? = nil) async throws -> [String] {
        try await slots(service: service, date: date, barber: barber).compactMap { $0["start"] as? String }
    }

    func appointment(_ id: Int, token: String) async throws -> APIResponse {
        try await send(.get, "/api/v2/appointments/\(id)", token: token)
    }

    /// The ids listed by `GET /api/v2/appointments` with `query` (without the `?`).
    func listedIDs(_ token: String, _ query: String = "") async throws -> [Int] {
        let response = try await send(.get, "/api/v2/appointments" + (query.isEmpty ? "" : "?" + query), token: token)
        #expect(response.status == .ok, "\(response.raw)")
        return response.list("appointments").compactMap { $0["id"] as? Int }
    }

    /// Registers `count` clients concurrently; their tokens and ids in `count` order.
    func registerClients(_ count: Int, prefix: String) async throws -> [(token: String, id: Int)] {
        try await withThrowingTaskGroup(of: (Int, String, Int).self) { group in
            for index in 0..<count {
                group.addTask {
                    let client = try await register("\(prefix)\(index)@example.com")
                    return (index, client.token, client.id)
                }
            }
            var clients = [(token: String, id: Int)](repeating: ("", 0), count: count)
            for try await (index, token, id) in group { clients[index] = (token, id) }
            return clients
        }
    }
}

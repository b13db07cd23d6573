import BookedBarberHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A page answer: status, headers, the HTML (or other text) and the cookies it set.
struct PageResponse {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String

    var setCookies: [String] { headers[values: .setCookie] }
    var location: String? { headers[.location] }

    /// The value of the first hidden `csrf` field.
    var csrf: String? { firstMatch(#"name="csrf" value="([^"]*)""#) }

    func firstMatch(_ pattern: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: body, range: NSRange(body.startIndex..., in: body)), match.numberOfRanges > 1,
            let range = Range(match.range(at: 1), in: body)
        else { return nil }
        return String(body[range])
    }

    func allMatches(_ pattern: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: body, range: NSRange(body.startIndex..., in: body)).compactMap {
            Range($0.range(at: 1), in: body).map { String(body[$0]) }
        }
    }
}

/// Drives the pages through the router as a browser would: keeps the cookies the server sets,
/// sends forms URL-encoded, and does not follow redirects (tests look at them).
final class BrowserlessClient: @unchecked Sendable {
    // @unchecked: each test owns one client and uses it from one task, one request at a time.
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) { self.client = client }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> PageResponse {
        try await send(.get, uri, body: nil, headers: headers)
    }

    /// A form post; `fields` in order, URL-encoded.
    func post(_ uri: String, _ fields: [(String, String)], headers: HTTPFields = [:]) async throws -> PageResponse {
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await send(.post, uri, body: body, headers: headers)
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, body: String?, headers: HTTPFields) async throws -> PageResponse {
        var headers = headers
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) {
            PageResponse(status: $0.status, headers: $0.headers, body: String(buffer: $0.body))
        }
        for line in response.setCookies {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard let name = pair.first.map(String.init) else { continue }
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || line.lowercased().contains("max-age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return response
    }

    func forget(_ cookie: String) { cookies[cookie] = nil }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}

extension APIHarness {
    /// Runs `body` with a cookie-keeping page client and an API client on the same router.
    func runPages<T: Sendable>(_ body: @Sendable (BrowserlessClient, APIClient) async throws -> T) async throws -> T {
        try await Application(router: app.makeRouter()).test(.router) { client in
            try await body(BrowserlessClient(client), APIClient(client: client))
        }
    }
}

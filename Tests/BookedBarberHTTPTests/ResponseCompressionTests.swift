import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import BookedBarberHTTP

/// Answers over 1 KiB are gzipped for clients that send `Accept-Encoding: gzip`, with a correct
/// `Content-Length` and `Vary: Accept-Encoding`; small answers, HEAD and other clients get the
/// plain body. Every compressed body is inflated here and compared with the plain one.
@Suite struct ResponseCompressionTests {
    struct RawResponse {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer
        var vary: [String] {
            headers[values: .vary].flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        }
    }

    static func fetch(_ api: APIClient, _ uri: String, method: HTTPRequest.Method = .get, acceptEncoding: String?) async throws -> RawResponse {
        var headers: HTTPFields = [:]
        if let acceptEncoding { headers[.acceptEncoding] = acceptEncoding }
        return try await api.client.execute(uri: uri, method: method, headers: headers, body: nil) {
            RawResponse(status: $0.status, headers: $0.headers, body: $0.body)
        }
    }

    /// Checks `response` is gzip of `plain`, with the compressed length announced.
    static func expectGzip(of plain: ByteBuffer, in response: RawResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.headers[.contentEncoding] == "gzip", sourceLocation: sourceLocation)
        #expect(response.headers[.contentLength] == String(response.body.readableBytes), sourceLocation: sourceLocation)
        #expect(response.body.readableBytes < plain.readableBytes, sourceLocation: sourceLocation)
        #expect(response.vary.contains("Accept-Encoding"), sourceLocation: sourceLocation)
        var compressed = response.body
        let inflated = try compressed.decompress(with: .gzip())
        #expect(inflated == plain, "the inflated body differs from the plain one", sourceLocation: sourceLocation)
    }

    @Test func largeAnswersAreGzippedForClientsThatAcceptGzipAndInflateToThePlainBody() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let plain = try await Self.fetch(api, "/openapi.json", acceptEncoding: nil)
            #expect(plain.status == .ok)
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.body.readableBytes > 1024)
            #expect(plain.vary.contains("Accept-Encoding"), "caches must keep the two forms apart")
            for acceptEncoding in ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "x-gzip", "*", "identity, *;q=0.1"] {
                let compressed = try await Self.fetch(api, "/openapi.json", acceptEncoding: acceptEncoding)
                #expect(compressed.status == .ok, "\(acceptEncoding)")
                try Self.expectGzip(of: plain.body, in: compressed)
            }
        }
    }

    @Test func aLargeSlotsAnswerIsGzipped() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let admin = try await api.adminToken()
            let (_, service) = try await api.setUpBarberAndService(adminToken: admin, hours: ("08:00", "20:00"), duration: 15)
            let uri = "/api/v2/appointments/slots?service_id=\(service)&date=2027-03-10"
            let plain = try await Self.fetch(api, uri, acceptEncoding: nil)
            #expect(plain.status == .ok)
            #expect(plain.body.readableBytes > 1024)
            try Self.expectGzip(of: plain.body, in: try await Self.fetch(api, uri, acceptEncoding: "gzip"))
        }
    }

    @Test func smallAnswersHeadAndClientsWithoutGzipGetThePlainBody() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let small = try await Self.fetch(api, "/health", acceptEncoding: "gzip")
            #expect(small.status == .ok)
            #expect(small.body.readableBytes <= 1024)
            #expect(small.headers[.contentEncoding] == nil)
            #expect(!small.vary.contains("Accept-Encoding"))
            #expect(try JSONSerialization.jsonObject(with: Data(small.body.readableBytesView)) is [String: Any])

            for acceptEncoding in ["identity", "gzip;q=0", "br", "*;q=0", "gzip;q=0, *"] {
                let refused = try await Self.fetch(api, "/openapi.json", acceptEncoding: acceptEncoding)
                #expect(refused.headers[.contentEncoding] == nil, "\(acceptEncoding)")
                #expect(refused.headers[.contentLength] == String(refused.body.readableBytes))
            }
            let head = try await Self.fetch(api, "/openapi.json", method: .head, acceptEncoding: "gzip")
            #expect(head.status == .ok)
            #expect(head.headers[.contentEncoding] == nil)
        }
    }

    @Test func acceptEncodingIsReadWithQValues() {
        let accepts = ResponseCompression.acceptsGzip
        #expect(accepts(["gzip"]) && accepts(["GZIP"]) && accepts(["deflate", "gzip;q=0.5"]) && accepts(["*"]))
        #expect(!accepts([]) && !accepts([""]) && !accepts(["gzip;q=0"]) && !accepts(["gzip;q=0.0, *"]) && !accepts(["br, deflate"]))
        #expect(accepts(["gzip ; q=1"]) && !accepts(["*;q=0"]))
    }
}

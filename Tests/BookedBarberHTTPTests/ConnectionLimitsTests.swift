import BookedBarberHTTP
import Foundation
import HTTPTypes
import Testing

/// Limits against broken and hostile clients, on a live server: oversized headers, a request
/// trickled in too slowly, and more connections than the server takes. Waits are liveness
/// bounds, never timing assertions.
@Suite struct ConnectionLimitsTests {
    @Test func headersOverTheLimitGet431WithTheContractBody() async throws {
        let harness = try await APIHarness.make { $0.http.maxHeaderBytes = 4096 }
        try await harness.run { api in
            let big = String(repeating: "a", count: 5000)
            let refused = try await api.send(.get, "/health", headers: [.init("X-Padding")!: big])
            expectError(refused, .init(code: 431), "headers_too_large")
            let fine = try await api.send(.get, "/health", headers: [.init("X-Padding")!: String(repeating: "a", count: 3000)])
            #expect(fine.status == .ok)
        }
    }

    @Test func headersBeyondTheDecoderLimitCloseTheConnection() async throws {
        try await withLiveServer({ $0.http.maxHeaderBytes = 4096 }) { port in
            let raw = try RawConnection(port: port)
            raw.send("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Padding: \(String(repeating: "a", count: 70_000))\r\n\r\n")
            let answer = await raw.receive(within: 30) ?? ""
            #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(200))")
            #expect(await raw.waitUntilClosed(within: 30))
            #expect(try await rawHealth(port).hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func aRequestTrickledInSlowerThanTheRequestTimeoutIsCutOff() async throws {
        try await withLiveServer({
            $0.http.requestTimeout = .seconds(1)
            $0.http.idleTimeout = .seconds(60)
        }) { port in
            let slow = try RawConnection(port: port)
            let trickle = Task.detached {
                // One header byte every 200 ms: never idle, never done.
                for byte in "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: \(String(repeating: "s", count: 500))" {
                    if Task.isCancelled { return }
                    slow.send(String(byte))
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
            defer { trickle.cancel() }
            #expect(try await rawHealth(port).hasPrefix("HTTP/1.1 200"))
            // Far below the 60 s idle timeout: only the request timeout can close it in time.
            #expect(await slow.waitUntilClosed(within: 30), "the trickling connection was not closed")
            #expect(try await rawHealth(port).hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func aCompleteRequestIsServedEvenWhenItsConnectionWasOpenLongerThanTheTimeout() async throws {
        try await withLiveServer({ $0.http.requestTimeout = .seconds(1) }) { port in
            let patient = try RawConnection(port: port)
            try await Task.sleep(for: .milliseconds(1500))  // connected, nothing sent: no clock runs
            patient.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let first = await patient.receive(within: 30) ?? ""
            #expect(first.hasPrefix("HTTP/1.1 200"), "\(first.prefix(200))")
            try await Task.sleep(for: .milliseconds(1500))  // between requests: no clock runs either
            patient.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let second = await patient.receive(within: 30) ?? ""
            #expect(second.hasPrefix("HTTP/1.1 200"), "\(second.prefix(200))")
        }
    }

    @Test func atTheConnectionLimitNewConnectionsWaitUntilOneCloses() async throws {
        try await withLiveServer({ $0.http.maxConnections = 2 }) { port in
            var holders = [try RawConnection(port: port), try RawConnection(port: port)]
            // Both are accepted and served, and stay open.
            for holder in holders {
                holder.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect((await holder.receive(within: 30) ?? "").hasPrefix("HTTP/1.1 200"))
            }
            // A third connects (the kernel's backlog takes it) but is not accepted yet.
            let waiting = try RawConnection(port: port)
            waiting.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(await waiting.receive(within: 1) == nil, "served beyond --max-connections")
            holders.removeFirst()  // closes one
            let answer = await waiting.receive(within: 30) ?? ""
            #expect(answer.hasPrefix("HTTP/1.1 200"), "the waiting connection was never served: \(answer.prefix(100))")
            withExtendedLifetime(holders) {}  // the other holder stays open until here
        }
    }
}

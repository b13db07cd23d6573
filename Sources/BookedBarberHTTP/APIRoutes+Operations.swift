import BookingCore
import BookingEngine
import Foundation
import Hummingbird
import NIOCore

extension APIRoutes {
    func registerOperations(_ routes: RouteTable) {
        routes.on(.get, "/health") { _, _ in
            struct Health: Encodable {
                var status = "ok"
                var version: String
                var uptime_seconds: Int64
            }
            return try jsonResponse(Health(version: version, uptime_seconds: uptimeSeconds))
        }

        routes.on(.get, "/readiness") { _, _ in
            struct Readiness: Encodable {
                var ready: Bool
                var phase: String
                var lsn: Int64?
            }
            let phase = runtime.phase
            let lsn = runtime.engineIfReady?.journal.lastLSN
            return try jsonResponse(
                Readiness(ready: phase == .ready, phase: phase.rawValue, lsn: lsn), status: phase == .ready ? .ok : .serviceUnavailable)
        }

        let openAPI = OpenAPIDocument.bytes
        routes.on(.get, "/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: openAPI)))
        }

        routes.on(.get, "/api/v2/admin/state") { _, context in
            _ = try context.admin()
            struct State: Encodable {
                var lsn: Int64
                var digest: String
            }
            let image = await engine.capture()
            // Hashing the canonical encoding of a large state takes seconds of CPU: off the pool.
            let digest = await offload(qos: .utility) { ShopEngine.digest(of: image.state) }
            return try jsonResponse(State(lsn: image.lastLSN, digest: digest))
        }

        // The operations issue owns the full metric set; until then, a valid exposition with the
        // gauges this process already knows.
        routes.on(.get, "/metrics") { _, _ in
            let text = """
                # HELP bookedbarber_uptime_seconds Seconds since the process started serving.
                # TYPE bookedbarber_uptime_seconds gauge
                bookedbarber_uptime_seconds \(uptimeSeconds)
                # HELP bookedbarber_journal_lsn Log sequence number of the newest change.
                # TYPE bookedbarber_journal_lsn gauge
                bookedbarber_journal_lsn \(runtime.engineIfReady?.journal.lastLSN ?? 0)

                """
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    var uptimeSeconds: Int64 { (ContinuousClock.now - startedAt).components.seconds }
}

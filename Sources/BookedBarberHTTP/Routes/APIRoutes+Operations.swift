import BookingCore
import BookingEngine
import BookingLog
import Foundation
import Hummingbird
import NIOCore

extension APIRoutes {
    struct Health: Encodable {
        var status = "ok"
        var version: String
        var uptime_seconds: Int64

        /// The same bytes as this shape through `JSONEncoder` (`JSONWriter`'s invariant): the
        /// probe every load balancer and monitor sends, so it costs no encoder.
        var buffer: ByteBuffer {
            var json = JSONWriter(capacity: 80)
            json.beginObject()
            json.field("status", status)
            json.field("uptime_seconds", Int(uptime_seconds))
            json.field("version", version)
            json.endObject()
            return json.buffer
        }
    }

    struct StateDigest: ResponseEncodable {
        var lsn: Int64
        var digest: String
    }

    func registerOperations(_ routes: RouteTable) {
        routes.on(.get, "/health") { _, _ in
            let health = Health(version: version, uptime_seconds: uptimeSeconds)
            return Response.json(health.buffer)
        }

        routes.on(.get, "/readiness") { _, _ in
            let phase = runtime.phase
            let engine = runtime.engineIfReady
            let space = runtime.diskSpace.reading
            let writable = phase == .ready && space?.readOnlyReason == nil
            let readiness = Readiness(
                ready: writable, phase: phase.rawValue, lsn: engine?.journal.lastLSN,
                log: engine.map { _ in
                    Readiness.Log(
                        writable: writable, reason: space?.readOnlyReason?.rawValue, free_bytes: space?.availableBytes,
                        fsync: fsync.rawValue, last_fsync_age_seconds: metrics.lastFsyncAge)
                })
            return EditedResponse(status: writable ? .ok : .serviceUnavailable, response: readiness)
        }

        let openAPI = OpenAPIDocument.bytes
        routes.on(.get, "/openapi.json") { _, _ in
            Response.json(ByteBuffer(bytes: openAPI))
        }

        routes.on(.get, "/api/v2/admin/state") { _, context in
            _ = try context.admin()
            let image = await engine.capture()
            // Hashing the canonical encoding of a large state takes seconds of CPU: off the pool.
            let digest = await offload(.compute) { ShopEngine.digest(of: image.state) }
            return StateDigest(lsn: image.lastLSN, digest: digest)
        }

        routes.on(.get, "/metrics") { _, _ in
            let text = metrics.exposition(engine: runtime.engineIfReady, diskSpace: runtime.diskSpace.reading)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }

        routes.on(.get, "/api/v2/dashboard/performance/current") { _, context in
            _ = try context.admin()
            return PerformanceDashboard(metrics: metrics)
        }
    }

    var uptimeSeconds: Int64 { (ContinuousClock.now - startedAt).components.seconds }
}

/// `GET /readiness`: ready once recovery is done and the log is open for writing (a failed
/// write or fsync stops the process, so an open log is a writable one) with the data
/// directory's free space above the reserve.
struct Readiness: ResponseEncodable {
    struct Log: Encodable {
        var writable: Bool
        /// Why the log is not writable while the server serves (`disk_full`); absent when writable.
        var reason: String?
        /// Free bytes of the data directory's file system at the last check.
        var free_bytes: Int?
        var fsync: String
        /// Seconds since the last fsync of the log; null before the first one (or with `--fsync off`).
        var last_fsync_age_seconds: Double?
    }

    var ready: Bool
    var phase: String
    var lsn: Int64?
    /// Null while recovering: the log is not open yet.
    var log: Log?
}

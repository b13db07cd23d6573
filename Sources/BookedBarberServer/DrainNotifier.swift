import BookedBarberHTTP
import ServiceLifecycle

/// Turns readiness to 503 the moment a graceful shutdown begins, before the HTTP server starts
/// to drain, so a proxy stops sending new requests while those in flight finish.
///
/// Placed last in the process's service group, it is the first to be told of the shutdown
/// (services are shut down in reverse order) and returns at once.
public struct DrainNotifier: ServiceLifecycle.Service {
    let runtime: ServerRuntime

    public init(runtime: ServerRuntime) { self.runtime = runtime }

    public func run() async throws {
        try? await gracefulShutdown()
        if runtime.phase == .ready { runtime.startDraining() }
    }
}

import HummingbirdCore

/// At most `maximum` open client connections. At the limit the server stops accepting (the
/// listening socket is not read, so new connections wait in the kernel's backlog) and resumes as
/// soon as one closes: Hummingbird's `AvailableConnectionsChannelHandler` asks this delegate.
/// When the process runs out of file descriptors below the limit, NIO's accept back-off pauses
/// accepting for a moment instead of failing; either way the server keeps serving the
/// connections it has and accepts again later.
///
/// Runs on the listening socket's event loop; it also keeps the open-connections gauge.
struct ConnectionLimit: AvailableConnectionsDelegate {
    let maximum: Int
    let metrics: ServerMetrics
    private var open = 0

    init(maximum: Int, metrics: ServerMetrics) {
        self.maximum = maximum
        self.metrics = metrics
    }

    mutating func connectionOpened() {
        open += 1
        metrics.connectionOpened()
    }

    mutating func connectionClosed() {
        open -= 1
        metrics.connectionClosed()
    }

    func isAcceptingNewConnections() -> Bool { open < maximum }
}

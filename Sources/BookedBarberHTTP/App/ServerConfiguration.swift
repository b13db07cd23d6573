import BookingLog
import Foundation
import Logging

/// Everything `bookedbarber serve` can be told, as nested structs with the contract's defaults.
public struct ServerConfiguration: Sendable {
    public struct HTTP: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        /// Larger bodies get 413 `payload_too_large`.
        public var maxBodyBytes = 64 * 1024
        /// A connection with nothing read or written for this long is closed.
        public var idleTimeout: Duration = .seconds(30)
        /// One log line per request at info level; otherwise at debug level only.
        public var accessLog = false
        /// The level of the server's logger. Without `accessLog` the request lines are at debug
        /// level, so they are written (and the middleware writing them added) only at debug or trace.
        public var logLevel: Logger.Level = .info
        /// At most this many open client connections; beyond it, new ones wait in the backlog.
        public var maxConnections = 10_000
        /// A request must arrive whole (headers and body) within this long of its first byte.
        public var requestTimeout: Duration = .seconds(15)
        /// Request line plus header fields larger than this get 431 `headers_too_large`.
        public var maxHeaderBytes = 16 * 1024
        public init() {}
    }

    public struct Auth: Sendable {
        /// HS256 signing key. Empty means "read or create `jwt-secret` in the data dir".
        public var jwtSecret: [UInt8] = []
        public var tokenLifetime: Duration = .seconds(24 * 3600)
        /// bcrypt cost factor for new password hashes.
        public var bcryptCost: UInt8 = 10
        public init() {}
    }

    public struct Bootstrap: Sendable {
        /// Create this admin at start if no user has that email.
        public var adminEmail: String?
        public var adminPassword: String?
        /// Seed the demo shop when the state is empty.
        public var demo = false
        public init() {}
    }

    public struct Durability: Sendable {
        /// When a 2xx may be sent: after the fsync covering it (`always`), after the write with an
        /// fsync at least once a second (`everysec`), or after the write alone (`off`).
        public var fsync: FsyncMode = .always
        /// A snapshot after this many records since the last one…
        public var snapshotEveryRecords: Int64 = 100_000
        /// …or after this long, if anything changed.
        public var snapshotInterval: Duration = .seconds(300)
        /// Largest size of one log segment file.
        public var maximumSegmentSize = 64 << 20
        public init() {}
    }

    public struct Notifications: Sendable {
        /// Accept webhook URLs whose host is loopback, private, link-local or unspecified (tests,
        /// receivers on the same network); off by default against server-side request forgery.
        public var allowPrivateWebhooks = false
        /// Waits before each retry of a failed delivery; the last one repeats until
        /// `webhookGiveUpAfter` after the event, when the delivery is given up. Each wait gets ±20 % jitter.
        public var webhookRetryDelays: [Duration] = [.seconds(5), .seconds(60), .seconds(300), .seconds(1800), .seconds(7200), .seconds(3600)]
        /// How long after its event a failing delivery is retried: the first attempt that fails
        /// this long after the event is the last, and the delivery is given up. The contract's
        /// day; shorter only to see give-ups happen (tests, a staging receiver).
        public var webhookGiveUpAfter: Duration = .seconds(24 * 3600)
        /// Most deliveries in flight at once, over all endpoints.
        public var maxConcurrentDeliveries = 16
        /// Most `GET /api/v2/events/stream` connections one user may hold open; more get 429.
        public var maxStreamsPerUser = 5
        /// Most `GET /api/v2/queue/stream` connections (anonymous wall boards) open at once, all
        /// together; more get 429.
        public var maxBoardStreams = 64
        public init() {}
    }

    public var http = HTTP()
    public var notifications = Notifications()
    public var mail = Mail()
    public var durability = Durability()
    public var auth = Auth()
    public var bootstrap = Bootstrap()
    public var rateLimit = RateLimit()
    public var cors = CORS()
    public var compression = Compression()
    public var diskSpace = DiskSpace()
    public var dataDirectory = "./data"
    /// Every file of the data directory (log, snapshots, token key) is read and written through
    /// this seam; tests put a simulated disk here.
    public var fileSystem: any LogFileSystem = PosixFileSystem()
    public var version = "0.1.0"

    public init() {}
}

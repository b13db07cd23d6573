import ArgumentParser
import BookedBarberHTTP
import BookedBarberServer
import BookingCore
import BookingLog
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import Logging
import Metrics
import ServiceLifecycle
import UnixSignals

/// `bookedbarber serve`: flags and environment variables of the contract's "Starting the server".
/// A flag wins over its environment variable, which wins over the default.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the HTTP server.")

    @Option(help: "Listen address (env BOOKEDBARBER_HOST).")
    var host: String?

    @Option(help: "Listen port (env BOOKEDBARBER_PORT).")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "Directory for the log, snapshots and the token key (env BOOKEDBARBER_DATA_DIR).")
    var dataDir: String?

    @Option(help: "always, everysec or off (env BOOKEDBARBER_FSYNC): when a change is acknowledged relative to its fsync.")
    var fsync: String?

    @Option(
        name: .customLong("disk-reserve"),
        help: "Free space to keep in the data directory's file system, e.g. 256MiB, 1GiB or bytes (env BOOKEDBARBER_DISK_RESERVE; default 256MiB). Below it the server is read-only.")
    var diskReserve: String?

    @Option(name: .customLong("snapshot-every"), help: "Take a snapshot after this many log records.")
    var snapshotEvery: Int64 = 100_000

    @Option(name: .customLong("snapshot-interval"), help: "Take a snapshot after this many seconds, if anything changed.")
    var snapshotInterval: Int = 300

    @Option(name: .customLong("admin-email"), help: "Create this admin at start if no user has that email (env BOOKEDBARBER_ADMIN_EMAIL).")
    var adminEmail: String?

    @Option(name: .customLong("admin-password"), help: "Password of that admin (env BOOKEDBARBER_ADMIN_PASSWORD).")
    var adminPassword: String?

    @Option(name: .customLong("jwt-secret"), help: "Token signing key (env BOOKEDBARBER_JWT_SECRET); default: generated once, kept in the data dir.")
    var jwtSecret: String?

    @Option(name: .customLong("bcrypt-cost"), help: "bcrypt cost factor for new password hashes (4-31).")
    var bcryptCost: UInt8 = 10

    @Option(name: .customLong("idle-timeout"), help: "Seconds after which a connection with no traffic is closed.")
    var idleTimeout: Int = 30

    @Flag(name: .customLong("access-log"), help: "Log one line per request at info level (otherwise only at debug level).")
    var accessLog = false

    @Option(name: .customLong("max-connections"), help: "Most client connections open at once; more wait in the listen backlog.")
    var maxConnections: Int = 10_000

    @Option(name: .customLong("request-timeout"), help: "Seconds a request may take to arrive whole (headers and body) from its first byte.")
    var requestTimeout: Int = 15

    @Option(name: .customLong("max-header-bytes"), help: "Largest request line plus headers; larger ones get 431.")
    var maxHeaderBytes: Int = 16 * 1024

    @Option(name: .customLong("drain-timeout"), help: "Seconds that requests in flight get to finish after SIGTERM or SIGINT.")
    var drainTimeout: Int = 10

    @Option(name: .customLong("rate-limit"), help: "Requests per second per client address (default 20).")
    var rateLimit: Double?

    @Option(name: .customLong("rate-burst"), help: "Requests a client may send at once after a quiet spell (default 100).")
    var rateBurst: Int?

    @Option(name: .customLong("auth-rate-limit"), help: "Login and register attempts per minute per client address (default 10).")
    var authRateLimit: Double?

    @Option(name: .customLong("auth-burst"), help: "Login and register attempts a client may make at once (default 5).")
    var authBurst: Int?

    @Flag(name: .customLong("no-rate-limit"), help: "Switch rate limiting off (load tests).")
    var noRateLimit = false

    @Option(
        name: .customLong("trusted-proxy"),
        help: "A proxy (IP or CIDR; repeatable) whose X-Forwarded-For names the client (env BOOKEDBARBER_TRUSTED_PROXIES, comma-separated).")
    var trustedProxy: [String] = []

    @Option(
        name: .customLong("cors-origin"),
        help: "An origin allowed to call the API from a browser, e.g. https://book.example.com (repeatable; env BOOKEDBARBER_CORS_ORIGINS, comma-separated).")
    var corsOrigin: [String] = []

    @Flag(help: "On an empty state, seed a demo shop and print how to log in.")
    var demo = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Flag(name: .customLong("allow-private-webhooks"), help: "Accept webhook URLs on loopback, private and link-local addresses.")
    var allowPrivateWebhooks = false

    @Option(
        name: .customLong("webhook-retry-delays"),
        help: "Seconds to wait before each retry of a failed webhook delivery, comma-separated; the last repeats (default 5,60,300,1800,7200,3600).")
    var webhookRetryDelays: String?

    @Option(
        name: .customLong("webhook-give-up-after"),
        help: "Seconds after its event a failing webhook delivery is given up (default 86400, the contract's day; shorter for tests).")
    var webhookGiveUpAfter: Int64 = 24 * 3600

    @Option(name: .customLong("max-webhook-deliveries"), help: "Most webhook deliveries in flight at once (default 16).")
    var maxWebhookDeliveries: Int = 16

    @Option(
        help: ArgumentHelp(
            "Mail clients through this sendmail-compatible command, e.g. \"/usr/bin/msmtp -t -i\" (env BOOKEDBARBER_SENDMAIL; split like a shell would, without one). Mail is off without it.",
            valueName: "command"))
    var sendmail: String?

    @Option(
        name: .customLong("mail-from"),
        help: ArgumentHelp("Sender address of every mail (env BOOKEDBARBER_MAIL_FROM); required with --sendmail.", valueName: "address"))
    var mailFrom: String?

    @Option(
        help: ArgumentHelp(
            "Reminder offsets before each appointment, e.g. 24h,2h (units d, h, m, s; env BOOKEDBARBER_REMINDERS; default 24h,2h; none for no reminders).",
            valueName: "offsets"))
    var reminders: String?

    @Option(
        name: .customLong("mail-retry-delays"),
        help: "Seconds to wait before each retry of a failed sendmail run, comma-separated; the last repeats until the appointment starts (default 10,60,300,1800,3600).")
    var mailRetryDelays: String?

    func validate() throws {
        guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be 4 to 31") }
        if let mode = setting(fsync, "BOOKEDBARBER_FSYNC"), FsyncMode(rawValue: mode) == nil {
            throw ValidationError("--fsync must be always, everysec or off")
        }
        guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be positive") }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive") }
        guard requestTimeout > 0 else { throw ValidationError("--request-timeout must be positive") }
        guard maxHeaderBytes >= 1024 else { throw ValidationError("--max-header-bytes must be at least 1024") }
        guard drainTimeout > 0 else { throw ValidationError("--drain-timeout must be positive") }
        guard snapshotEvery > 0, snapshotInterval > 0 else {
            throw ValidationError("--snapshot-every and --snapshot-interval must be positive")
        }
        _ = try resolvedDiskReserve()
        if let port = try resolvedPort(), !(0...65535).contains(port) { throw ValidationError("--port must be 0 to 65535") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        _ = try limitSettings()
        _ = try notificationSettings()
        _ = try mailSettings()
    }

    /// Mail settings from the flags and their environment variables, checked: the command split
    /// and its program found, a sender that can be written into a header, the reminder offsets.
    private func mailSettings() throws -> ServerConfiguration.Mail {
        var settings = ServerConfiguration.Mail()
        if let text = setting(reminders, "BOOKEDBARBER_REMINDERS") {
            do {
                settings.reminders = try ReminderSchedule(parsing: text)
            } catch {
                throw ValidationError("--reminders: \(error)")
            }
        }
        if let mailRetryDelays {
            let delays = mailRetryDelays.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !delays.isEmpty, delays.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw ValidationError("--mail-retry-delays must be positive whole seconds, comma-separated")
            }
            settings.retryDelays = delays.map { .seconds($0!) }
        }
        guard let line = setting(sendmail, "BOOKEDBARBER_SENDMAIL"), !line.trimmingCharacters(in: .whitespaces).isEmpty else {
            return settings
        }
        guard var command = ServerConfiguration.splitCommandLine(line) else {
            throw ValidationError("--sendmail \"\(line)\" is not a command line (an unclosed quote or a trailing backslash?)")
        }
        guard let program = SendmailCommand.resolve(command[0]) else {
            throw ValidationError("--sendmail: \(command[0]) is not an executable file\(command[0].contains("/") ? "" : " on PATH")")
        }
        command[0] = program
        guard let from = setting(mailFrom, "BOOKEDBARBER_MAIL_FROM") else {
            throw ValidationError("--sendmail needs --mail-from ADDRESS, the sender of every mail (e.g. bookings@example.com)")
        }
        guard let sender = MailAddress(from) else {
            throw ValidationError("--mail-from \(from) is not a plain address such as bookings@example.com")
        }
        settings.command = command
        settings.from = sender
        return settings
    }

    /// Rate limiting and CORS from the flags (and their environment variables), checked.
    private func limitSettings() throws -> (rateLimit: ServerConfiguration.RateLimit, cors: ServerConfiguration.CORS) {
        var rate = ServerConfiguration.RateLimit()
        rate.enabled = !noRateLimit
        rate.requestsPerSecond = rateLimit ?? rate.requestsPerSecond
        rate.burst = rateBurst ?? rate.burst
        rate.authPerMinute = authRateLimit ?? rate.authPerMinute
        rate.authBurst = authBurst ?? rate.authBurst
        guard rate.requestsPerSecond > 0, rate.authPerMinute > 0 else {
            throw ValidationError("--rate-limit and --auth-rate-limit must be positive (use --no-rate-limit to switch it off)")
        }
        guard rate.burst >= 1, rate.authBurst >= 1 else { throw ValidationError("--rate-burst and --auth-burst must be at least 1") }
        rate.trustedProxies = try list(trustedProxy, "BOOKEDBARBER_TRUSTED_PROXIES").map { text in
            guard let range = IPAddressRange(text) else { throw ValidationError("--trusted-proxy \(text) is not an IP address or CIDR block") }
            return range
        }
        var cors = ServerConfiguration.CORS()
        cors.allowedOrigins = try list(corsOrigin, "BOOKEDBARBER_CORS_ORIGINS").map { origin in
            guard origin.hasPrefix("https://") || origin.hasPrefix("http://"), origin.split(separator: "/").count == 2 else {
                throw ValidationError("--cors-origin \(origin) must be a scheme and host, e.g. https://book.example.com")
            }
            return origin
        }
        return (rate, cors)
    }

    /// Webhook delivery settings from the flags, checked.
    private func notificationSettings() throws -> ServerConfiguration.Notifications {
        var settings = ServerConfiguration.Notifications()
        settings.allowPrivateWebhooks = allowPrivateWebhooks
        guard maxWebhookDeliveries > 0 else { throw ValidationError("--max-webhook-deliveries must be positive") }
        settings.maxConcurrentDeliveries = maxWebhookDeliveries
        if let webhookRetryDelays {
            let delays = webhookRetryDelays.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !delays.isEmpty, delays.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw ValidationError("--webhook-retry-delays must be positive whole seconds, comma-separated")
            }
            settings.webhookRetryDelays = delays.map { .seconds($0!) }
        }
        guard webhookGiveUpAfter > 0 else { throw ValidationError("--webhook-give-up-after must be positive") }
        settings.webhookGiveUpAfter = .seconds(webhookGiveUpAfter)
        return settings
    }

    private func logLimits(_ configuration: ServerConfiguration, logger: Logger) {
        let rate = configuration.rateLimit
        guard rate.enabled else { return logger.info("rate limiting off") }
        logger.info(
            "rate limiting",
            metadata: ["per_second": "\(rate.requestsPerSecond)", "burst": "\(rate.burst)", "auth_per_minute": "\(rate.authPerMinute)",
                       "auth_burst": "\(rate.authBurst)", "trusted_proxies": "\(rate.trustedProxies.map(\.description))"])
        if rate.trustedProxies.isEmpty {
            logger.info("clients are told apart by socket peer; behind a proxy, name it with --trusted-proxy")
        }
    }

    /// A repeatable flag's values, else its environment variable split at commas.
    private func list(_ flag: [String], _ variable: String) -> [String] {
        if !flag.isEmpty { return flag }
        return (ProcessInfo.processInfo.environment[variable] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() async throws {
        var configuredLogger = Logger(label: "bookedbarber") { LazyMetadataLogHandler(label: $0) }
        configuredLogger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let logger = configuredLogger

        var configuration = ServerConfiguration()
        configuration.http.host = setting(host, "BOOKEDBARBER_HOST") ?? configuration.http.host
        configuration.http.port = try resolvedPort() ?? configuration.http.port
        configuration.dataDirectory = setting(dataDir, "BOOKEDBARBER_DATA_DIR") ?? configuration.dataDirectory
        configuration.bootstrap.adminEmail = setting(adminEmail, "BOOKEDBARBER_ADMIN_EMAIL")
        configuration.bootstrap.adminPassword = setting(adminPassword, "BOOKEDBARBER_ADMIN_PASSWORD")
        configuration.bootstrap.demo = demo
        configuration.auth.bcryptCost = bcryptCost
        configuration.http.idleTimeout = .seconds(idleTimeout)
        configuration.http.accessLog = accessLog
        configuration.http.logLevel = logger.logLevel
        configuration.http.maxConnections = maxConnections
        configuration.http.requestTimeout = .seconds(requestTimeout)
        configuration.http.maxHeaderBytes = maxHeaderBytes
        configuration.durability.fsync = setting(fsync, "BOOKEDBARBER_FSYNC").flatMap(FsyncMode.init) ?? .always
        configuration.durability.snapshotEveryRecords = snapshotEvery
        configuration.durability.snapshotInterval = .seconds(snapshotInterval)
        configuration.diskSpace.reserve = try resolvedDiskReserve() ?? configuration.diskSpace.reserve
        (configuration.rateLimit, configuration.cors) = try limitSettings()
        configuration.notifications = try notificationSettings()
        configuration.mail = try mailSettings()
        if let secret = setting(jwtSecret, "BOOKEDBARBER_JWT_SECRET") {
            guard secret.utf8.count >= 32 else { throw ValidationError("--jwt-secret must be at least 32 bytes") }
            configuration.auth.jwtSecret = Array(secret.utf8)
        }

        warnIfConnectionsExceedOpenFiles(logger: logger)
        let runtime = ServerRuntime()
        let metrics = ServerMetrics()
        MetricsSystem.bootstrap(metrics.factory)
        let clock: @Sendable () -> Instant = { Instant(Date()) }
        let app = try await BookedBarberApp(configuration: configuration, runtime: runtime, metrics: metrics, clock: clock)
        let seedDemo = configuration.bootstrap.demo
        let storage = StorageService(
            configuration: configuration, runtime: runtime, clock: clock, logger: logger, metrics: metrics
        ) { engine in
            try await app.bootstrapAdmin(into: engine, logger: logger)
            guard seedDemo else { return }
            let logins = try await DemoShop.seed(app, into: engine)
            if !logins.isEmpty {
                var text = "Demo shop seeded. Log in with POST /api/v2/auth/login as:\n"
                for login in logins { text += "  \(login.role.padding(toLength: 7, withPad: " ", startingAt: 0)) \(login.email)  \(login.password)\n" }
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
        logger.info(
            "starting", metadata: ["host": "\(configuration.http.host)", "port": "\(configuration.http.port)",
                                   "data_dir": "\(configuration.dataDirectory)", "fsync": "\(configuration.durability.fsync.rawValue)",
                                   "disk_reserve": "\(configuration.diskSpace.reserve)",
                                   "version": "\(configuration.version)"])
        logLimits(configuration, logger: logger)
        if let command = configuration.mail.command, let from = configuration.mail.from {
            logger.info(
                "mail on", metadata: ["sendmail": "\(command)", "from": "\(from)",
                                      "reminders_seconds_before": "\(configuration.mail.reminders.offsets)"])
        } else {
            logger.info("mail off (no --sendmail)")
        }
        var group = ServiceGroupConfiguration(
            services: [
                .init(service: app.makeApplication(services: [storage], logger: logger)),
                .init(service: DrainNotifier(runtime: runtime)),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(drainTimeout)
        try await ServiceGroup(configuration: group).run()
    }

    /// Connections, log segments and snapshots share the open-file limit: with --max-connections
    /// near it, accepting backs off at the descriptor limit instead (and a log segment could fail
    /// to open, which stops the process). Warns so the operator raises `LimitNOFILE`.
    private func warnIfConnectionsExceedOpenFiles(logger: Logger) {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let headroom: UInt64 = 256
        if UInt64(maxConnections) + headroom > UInt64(limit.rlim_cur) {
            logger.warning(
                "--max-connections leaves too few file descriptors for the log and snapshots; raise the open-file limit",
                metadata: ["max_connections": "\(maxConnections)", "open_file_limit": "\(limit.rlim_cur)"])
        }
    }

    private func setting(_ flag: String?, _ variable: String) -> String? {
        flag ?? ProcessInfo.processInfo.environment[variable]
    }

    private func resolvedDiskReserve() throws -> SpaceReserve? {
        guard let text = setting(diskReserve, "BOOKEDBARBER_DISK_RESERVE") else { return nil }
        guard let reserve = SpaceReserve(parsing: text) else {
            throw ValidationError("--disk-reserve must be a size such as 256MiB, 1GiB or a number of bytes")
        }
        return reserve
    }

    private func resolvedPort() throws -> Int? {
        guard let text = setting(port.map(String.init), "BOOKEDBARBER_PORT") else { return nil }
        guard let value = Int(text) else { throw ValidationError("port must be a number") }
        return value
    }
}

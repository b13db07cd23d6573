import BookedBarberHTTP
import BookingCore
import BookingEngine
import BookingLog
import Foundation
import Logging
import ServiceLifecycle

/// Owns the data directory for the life of the server: recovers the state at start (while the
/// HTTP listener already answers `/readiness` with 503), opens the log writer, hands the engine to
/// the runtime, takes snapshots, expires waitlist offers (`OfferExpiry`), delivers webhooks and
/// (with `--sendmail`) mails clients (`MailDelivery`) while serving, and at shutdown writes a
/// last snapshot and closes the log. Started without `--sendmail`, it records that mail is off
/// (nothing is owed while it is off).
///
/// It runs in the application's service group before the HTTP server, so at graceful shutdown the
/// server stops (and finishes its requests) first, and only then is the log closed: no append
/// can follow the close.
///
/// The data directory's free space is checked after recovery, before anything is written, and
/// then every second (`DiskSpaceWatch`). Below the reserve the server is read-only: it comes up
/// that way (skipping the start-up steps that write, admin bootstrap and demo seeding, until a
/// start with space), and it takes no snapshot, periodic or final, until space is back.
public struct StorageService: ServiceLifecycle.Service {
    let configuration: ServerConfiguration
    let runtime: ServerRuntime
    let clock: @Sendable () -> Instant
    let logger: Logger
    /// Told about every fsync of the log and every snapshot.
    let metrics: ServerMetrics
    /// Start-up steps that need the engine (admin bootstrap, demo seeding), run before ready.
    let prepare: @Sendable (ShopEngine) async throws -> Void

    public init(configuration: ServerConfiguration, runtime: ServerRuntime, clock: @escaping @Sendable () -> Instant,
                logger: Logger, metrics: ServerMetrics = ServerMetrics(),
                prepare: @escaping @Sendable (ShopEngine) async throws -> Void) {
        self.configuration = configuration
        self.metrics = metrics
        self.runtime = runtime
        self.clock = clock
        self.logger = logger
        self.prepare = prepare
    }

    public func run() async throws {
        let directory = configuration.dataDirectory
        let fileSystem = configuration.fileSystem
        try fileSystem.createDirectory(directory)
        let started = ContinuousClock.now
        let recovered = try StateRecovery(directory: directory, fileSystem: fileSystem).recover(logger: logger)
        let diskSpace = DiskSpaceWatch(
            directory: directory, fileSystem: fileSystem, reserve: configuration.diskSpace.reserve, status: runtime.diskSpace,
            logger: logger)
        let writableAtStart = await diskSpace.check()
        let writer = try LogWriter(
            directory: directory, fileSystem: fileSystem, resuming: recovered.scan,
            configuration: .init(fsync: configuration.durability.fsync, maximumSegmentSize: configuration.durability.maximumSegmentSize),
            logger: logger, clock: clock,
            fsyncObserver: { [metrics] duration, records in metrics.fsyncFinished(duration: duration, records: records) })
        metrics.observe(writer)
        let engine = ShopEngine(journal: writer, clock: clock)
        await engine.load(recovered.image.state)
        logger.info(
            "recovered",
            metadata: [
                "lsn": "\(recovered.lastLSN)", "snapshot_lsn": "\(recovered.snapshotLSN.map(String.init) ?? "none")",
                "records_replayed": "\(recovered.recordsReplayed)", "duration": "\(ContinuousClock.now - started)",
            ])
        if writableAtStart {
            try await prepare(engine)
            if configuration.mail.command == nil { await engine.switchMail(on: false) }
        } else {
            logger.warning("read-only at start: admin bootstrap and demo seeding are left to a start with free space")
        }
        runtime.becomeReady(engine)

        let snapshots = Snapshotter(
            engine: engine, writer: writer, directory: directory, fileSystem: fileSystem, policy: configuration.durability,
            startLSN: recovered.snapshotLSN ?? 0, clock: clock, logger: logger, metrics: metrics)
        let isReadOnly: @Sendable () -> Bool = { [runtime] in runtime.diskSpace.reading?.readOnlyReason != nil }
        let background = BackgroundEventLoop(logger: logger)
        let deliveries = WebhookDelivery(
            engine: engine, configuration: configuration.notifications, metrics: metrics, logger: logger, isPaused: isReadOnly,
            background: background)
        let expiry = OfferExpiry(engine: engine, logger: logger, isPaused: isReadOnly)
        let mail = configuration.mail.command.flatMap { command in
            configuration.mail.from.map { sender in
                MailDelivery(
                    engine: engine, command: command, sender: sender, configuration: configuration.mail, metrics: metrics, logger: logger,
                    isPaused: isReadOnly)
            }
        }
        await cancelWhenGracefulShutdown { [configuration] in
            await withDiscardingTaskGroup { group in
                group.addTask { await diskSpace.run(every: configuration.diskSpace.checkInterval) }
                group.addTask { await expiry.run() }
                group.addTask { await deliveries.run() }
                if let mail { group.addTask { await mail.run() } }
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    if snapshots.isDue, !isReadOnly() { await snapshots.take() }
                }
            }
        }
        try? await background.shutdown()
        if runtime.phase == .ready { runtime.startDraining() }
        if snapshots.hasNewRecords {
            if isReadOnly() {
                logger.warning("no final snapshot: the data directory is below its space reserve; the log holds every change")
            } else {
                await snapshots.take()
            }
        }
        await writer.close()
        logger.info("log closed", metadata: ["lsn": "\(writer.lastLSN)"])
    }
}

import BookedBarberHTTP
import BookingEngine
import BookingLog
import Dispatch
import Logging

/// Checks the free space of the data directory's file system (`statvfs`, through the log's
/// file-system seam) and records it in `DiskSpaceStatus`: below the reserve the server is
/// read-only (`ReadOnlyCheck`), above it again writes resume at the next check.
///
/// `StorageService` checks once after recovery, before anything is written, then every
/// `interval` for the life of the process; requests only read the last result.
struct DiskSpaceWatch: Sendable {
    let directory: String
    let fileSystem: any LogFileSystem
    let reserve: SpaceReserve
    let status: DiskSpaceStatus
    let logger: Logger

    /// Reads the free space (off the cooperative pool: `statvfs` may block on a sick disk),
    /// records it and logs a change between writable and read-only. A failed `statvfs` is
    /// logged and leaves the previous reading in place. Returns whether the server may write.
    @discardableResult
    func check() async -> Bool {
        let directory = directory
        let fileSystem = fileSystem
        let previous = status.reading
        do {
            let available = try await offload(.waiting) { () throws -> Int in try fileSystem.availableBytes(directory) }
            let reading = DiskSpaceStatus.Reading(availableBytes: available, reserve: reserve)
            status.record(reading)
            let metadata: Logger.Metadata = ["free_bytes": "\(available)", "reserve": "\(reserve)", "data_dir": "\(directory)"]
            switch (previous?.readOnlyReason, reading.readOnlyReason) {
            case (nil, let reason?):
                logger.critical(
                    "disk of the data directory is below the reserve; read-only until space is freed",
                    metadata: metadata.merging(["reason": "\(reason.rawValue)"]) { $1 })
            case (_?, nil):
                logger.notice("disk space is above the reserve again; writes resume", metadata: metadata)
            default:
                break
            }
        } catch {
            logger.error("cannot read the free space of the data directory", metadata: ["error": "\(error)"])
        }
        return status.reading?.readOnlyReason == nil
    }

    /// Checks every `interval` until the task is cancelled.
    func run(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            await check()
        }
    }
}

import BookingLog
import Synchronization

/// What the last free-space check of the data directory found (`DiskSpaceWatch` in the server
/// checks; `ReadOnlyMiddleware`, `/readiness` and `/metrics` read it).
///
/// The check runs on a timer, never per request: a request reads the last result, one
/// uncontended lock. Why it is safe to share: the reading is only read and replaced whole, under
/// the mutex.
public final class DiskSpaceStatus: Sendable {
    /// Why the server refuses changes; the label of `bookedbarber_read_only`.
    public enum ReadOnlyReason: String, Sendable, CaseIterable {
        /// The data directory's file system has less free space than the reserve.
        case diskFull = "disk_full"
    }

    public struct Reading: Sendable, Equatable {
        /// Bytes the server may still write to the data directory's file system.
        public var availableBytes: Int
        public var reserve: SpaceReserve

        public init(availableBytes: Int, reserve: SpaceReserve) {
            self.availableBytes = availableBytes
            self.reserve = reserve
        }

        /// Nil while the server may write.
        public var readOnlyReason: ReadOnlyReason? { reserve.isShort(availableBytes: availableBytes) ? .diskFull : nil }
    }

    private let last = Mutex<Reading?>(nil)

    public init() {}

    /// The newest reading; nil before the first check (and in servers without a data directory).
    public var reading: Reading? { last.withLock { $0 } }

    public func record(_ reading: Reading) { last.withLock { $0 = reading } }
}

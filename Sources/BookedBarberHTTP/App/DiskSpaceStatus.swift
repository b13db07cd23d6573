import BookingLog
import Synchronization

/// What the last free-space check of the data directory found (`DiskSpaceWatch` in the server
/// checks; `ReadOnlyCheck`, `/readiness` and `/metrics` read it).
///
/// The check runs on a timer, never per request: a request reads one atomic flag
/// (`isReadOnly`), and the reading itself only when it refuses. Why it is safe to share: the
/// reading is only read and replaced whole, under the mutex; the flag is stored after the reading
/// it summarises, so a reader that sees it set finds a reading that is short of space (or a newer
/// one, when space came back meanwhile).
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
    private let readOnly = Atomic<Bool>(false)

    public init() {}

    /// The newest reading; nil before the first check (and in servers without a data directory).
    public var reading: Reading? { last.withLock { $0 } }

    /// Whether the newest reading makes the server read-only: what every change request checks.
    public var isReadOnly: Bool { readOnly.load(ordering: .acquiring) }

    public func record(_ reading: Reading) {
        last.withLock { $0 = reading }
        readOnly.store(reading.readOnlyReason != nil, ordering: .releasing)
    }
}

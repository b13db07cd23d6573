import BookingCore
import BookingEngine
import Synchronization

/// A journal that keeps every record in memory, in LSN order, for replay checks.
final class RecordingJournal: ChangeJournal {
    private let records = Mutex<[[ShopChange]]>([])

    func append(_ changes: [ShopChange]) -> LSN {
        records.withLock { records in
            records.append(changes)
            return LSN(records.count)
        }
    }

    func waitUntilDurable(_ lsn: LSN) async {}

    var lastLSN: LSN { records.withLock { LSN($0.count) } }

    /// Records with their LSNs.
    var all: [(lsn: LSN, changes: [ShopChange])] {
        records.withLock { $0.enumerated().map { (LSN($0.offset + 1), $0.element) } }
    }
}

import BookingCore
import BookingEngine
import Synchronization

/// A journal that keeps every record in memory, for replay checks.
final class RecordingJournal: ChangeJournal {
    let counter = JournalCounter()
    private let records = Mutex<[LSN: [ShopChange]]>([:])

    func append(_ changes: [ShopChange], at lsn: LSN) {
        records.withLock { records in
            precondition(records[lsn] == nil, "LSN \(lsn) appended twice")
            records[lsn] = changes
        }
    }

    func waitUntilDurable(_ lsn: LSN) async {}

    /// Records with their LSNs, in LSN order.
    var all: [(lsn: LSN, changes: [ShopChange])] {
        records.withLock { $0.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }
}

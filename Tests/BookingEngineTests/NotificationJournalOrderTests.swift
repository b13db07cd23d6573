import BookingCore
import Dispatch
import Foundation
import Synchronization
import Testing

@testable import BookingEngine

/// Events are recorded without a lock, yet the notification state stays the log's: events are
/// numbered in LSN order, a commit is decided against every event before it in the log, and a
/// capture holds exactly the records up to its LSN.
@Suite struct NotificationJournalOrderTests {
    static let draft = EventDraft(type: .queueUpdated, payload: .queue(QueueBoard(entries: [])))
    static let time = Instant(seconds: 1_800_000_000)

    /// Applies the notification changes of `records` to `state`, in order.
    static func replay(_ records: some Sequence<(lsn: LSN, changes: [ShopChange])>, onto state: inout NotificationState) {
        for record in records {
            for case .notification(let change) in record.changes { state.apply(change) }
        }
    }

    /// Runs `body` on `count` threads of their own (more than the cores, so the scheduler
    /// interleaves them), started together; returns once all are done.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let started = Atomic(0)
        let done = DispatchSemaphore(value: 0)
        for worker in 0..<count {
            Thread.detachNewThread {
                started.add(1, ordering: .sequentiallyConsistent)
                while started.load(ordering: .sequentiallyConsistent) < count { sched_yield() }
                body(worker)
                done.signal()
            }
        }
        for _ in 0..<count { done.wait() }
    }

    /// Four threads record events (one or two per record) while one commits mail switches
    /// (decided from the newest event number it sees) and one captures and reads.
    @Test func concurrentAppendsCommitsAndCapturesFollowTheLog() {
        let journal = RecordingJournal()
        let notifications = NotificationJournal(journal: journal, clock: { Self.time })
        let appenders = 4
        let perAppender = 3_000
        let finished = Atomic(0)
        let commits = Mutex<[(lsn: LSN, sawLastEvent: EventSequence)]>([])
        let captures = Mutex<[(state: NotificationState, lsn: LSN)]>([])
        Self.onThreads(appenders + 2) { worker in
            if worker < appenders {
                for index in 0..<perAppender {
                    _ = notifications.append([], events: Array(repeating: Self.draft, count: 1 + (index + worker) % 2))
                }
                finished.add(1, ordering: .sequentiallyConsistent)
            } else if worker == appenders {
                var on = false
                while finished.load(ordering: .sequentiallyConsistent) < appenders {
                    on.toggle()
                    let switched = on
                    let committed = notifications.commit { state in
                        .success(([.mailSwitched(on: switched, at: Self.time)], state.lastSequence))
                    }
                    if case .success(let (saw, lsn)) = committed { commits.withLock { $0.append((lsn, saw)) } }
                }
            } else {
                while finished.load(ordering: .sequentiallyConsistent) < appenders {
                    if captures.withLock({ $0.count }) < 200 {
                        let (state, lsn) = notifications.capture()
                        captures.withLock { $0.append((state, lsn)) }
                    }
                    _ = notifications.read { $0.lastSequence }
                }
            }
        }
        let records = journal.all
        let recorded = records.reduce(0) { count, record in
            count + record.changes.filter { if case .notification(.eventRecorded) = $0 { true } else { false } }.count
        }
        #expect(recorded == appenders * perAppender * 3 / 2)
        #expect(records.map(\.lsn) == Array(1...LSN(records.count)), "every LSN taken was appended, once")

        // Event numbers follow LSN order, without gaps.
        var numbers: [EventSequence] = []
        var eventsBefore: [LSN: EventSequence] = [:]
        for record in records {
            eventsBefore[record.lsn] = EventSequence(numbers.count)
            for case .notification(.eventRecorded(let event)) in record.changes { numbers.append(event.sequence) }
        }
        #expect(numbers == Array(1...EventSequence(numbers.count)))

        // Each commit saw exactly the events the log holds before it.
        let committed = commits.withLock { $0 }
        #expect(!committed.isEmpty)
        #expect(committed.allSatisfy { eventsBefore[$0.lsn] == $0.sawLastEvent })

        // The live state is the log's, and so is each capture up to its LSN.
        var replayed = NotificationState()
        let taken = captures.withLock { $0 }.sorted { $0.lsn < $1.lsn }
        #expect(!taken.isEmpty)
        var next = records.startIndex
        for capture in taken {
            let end = records[next...].firstIndex { $0.lsn > capture.lsn } ?? records.endIndex
            Self.replay(records[next..<end], onto: &replayed)
            next = end
            let same = replayed == capture.state
            #expect(same, "the capture at LSN \(capture.lsn) differs from the log up to it")
        }
        Self.replay(records[next...], onto: &replayed)
        let same = replayed == notifications.capture().0
        #expect(same, "the live state differs from the log")
    }

    /// An event numbered after a commit read the state but before it took its LSN would come
    /// first in the log without being in the state the commit was decided against: the commit
    /// decides again.
    @Test func aCommitDecidesAgainWhenAnEventIsNumberedMeanwhile() {
        let journal = RecordingJournal()
        let notifications = NotificationJournal(journal: journal, clock: { Self.time })
        let decisions = Mutex<[EventSequence]>([])
        var eventLSN: LSN = 0
        let committed = notifications.commit { state in
            let first = decisions.withLock { decisions in
                decisions.append(state.lastSequence)
                return decisions.count == 1
            }
            // A booking on another thread records its event now (appending takes no lock).
            if first { eventLSN = notifications.append([], events: [Self.draft]) }
            return .success(([.mailSwitched(on: true, at: Self.time)], state.lastSequence))
        }
        #expect(decisions.withLock { $0 } == [0, 1])
        guard case .success(let (saw, lsn)) = committed else {
            Issue.record("the commit was refused")
            return
        }
        #expect(saw == 1 && lsn > eventLSN && eventLSN > 0)
        #expect(notifications.read { $0.mail?.events?.acknowledged } == 1)
    }
}

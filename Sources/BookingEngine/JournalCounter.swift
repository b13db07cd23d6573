import BookingCore
import Synchronization

/// The one counter behind the log's LSNs and the events' sequence numbers: both are taken in
/// one compare-and-exchange of a word pair, so a record's events are numbered after those of
/// every record before it in LSN order, without a lock.
///
/// Invariants: LSNs are given once each, consecutively; event numbers likewise; for two records
/// holding events, the one with the smaller LSN holds the smaller numbers. So the position read
/// at any instant (`current`) splits both sequences alike: every event numbered up to
/// `lastEvent` is in a record up to `lsn`, every later event in a later record.
public final class JournalCounter: Sendable {
    /// The newest LSN and the newest event number given, read together.
    public struct Position: Equatable, Sendable {
        public var lsn: LSN
        public var lastEvent: EventSequence
    }

    /// `first`: the newest LSN given; `second`: the newest event number given.
    private let word: Atomic<WordPair>

    /// A counter continuing a log whose newest record is `lastLSN`; the event numbering starts
    /// once the recovered state says where (`continueEvents`).
    public init(lastLSN: LSN = 0) {
        precondition(lastLSN >= 0, "negative LSN \(lastLSN)")
        word = Atomic(WordPair(first: UInt(lastLSN), second: 0))
    }

    /// Takes the next LSN and, for a record that holds `events` events, the numbers after the
    /// newest given; returns the LSN and the first of those numbers.
    public func next(events: Int = 0) -> (lsn: LSN, firstEvent: EventSequence) {
        precondition(events >= 0, "negative event count \(events)")
        // Never nil: this change always gives a pair.
        let (before, after) = update { WordPair(first: $0.first + 1, second: $0.second + UInt(events)) }!
        return (LSN(after.first), EventSequence(before.second) + 1)
    }

    /// Takes the next LSN for a record without events, but only while the newest event number
    /// given is still `lastEvent`: nil if an event was numbered since (the caller decided
    /// against a state that lacks it, and must decide again).
    public func next(ifLastEventIs lastEvent: EventSequence) -> LSN? {
        update { $0.second == UInt(lastEvent) ? WordPair(first: $0.first + 1, second: $0.second) : nil }
            .map { LSN($0.after.first) }
    }

    /// The newest LSN and event number given, as one reading.
    public var current: Position {
        let pair = word.load(ordering: .sequentiallyConsistent)
        return Position(lsn: LSN(pair.first), lastEvent: EventSequence(pair.second))
    }

    /// The newest LSN given, durable or not.
    public var lastLSN: LSN { current.lsn }

    /// Numbers the next event `lastEvent + 1`: for a recovered state, before anything is
    /// numbered, or again with the number it continues already.
    public func continueEvents(after lastEvent: EventSequence) {
        _ = update { current in
            precondition(
                current.second == 0 || current.second == UInt(lastEvent),
                "events numbered up to \(current.second) before the state continuing \(lastEvent) was restored")
            return WordPair(first: current.first, second: UInt(lastEvent))
        }
    }

    /// Replaces the pair by `change` of it, in one compare-and-exchange (retried while others
    /// change it first); returns the pair before and after, or nil once `change` gives nil.
    private func update(_ change: (WordPair) -> WordPair?) -> (before: WordPair, after: WordPair)? {
        var current = word.load(ordering: .sequentiallyConsistent)
        while let desired = change(current) {
            let (exchanged, actual) = word.compareExchange(
                expected: current, desired: desired, ordering: .sequentiallyConsistent)
            if exchanged { return (current, desired) }
            current = actual
        }
        return nil
    }
}

import Foundation
import Histogram

/// Request types, each with its own histograms.
enum Kind: Int, CaseIterable, Codable, Sendable {
    case register, services, slots, book, listMine, reschedule, cancel, ceiling

    var name: String {
        switch self {
        case .register: "register"
        case .services: "services"
        case .slots: "slots"
        case .book: "book"
        case .listMine: "list_mine"
        case .reschedule: "reschedule"
        case .cancel: "cancel"
        case .ceiling: "ceiling"
        }
    }
}

typealias Hist = Histogram<UInt64>

/// Microseconds, 3 significant digits, up to one hour.
func makeHistogram() -> Hist {
    Hist(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
}

extension Histogram where Count == UInt64 {
    mutating func recordClamped(_ micros: UInt64) {
        if !record(Swift.min(Swift.max(micros, 1), highestTrackableValue)) { _ = record(highestTrackableValue) }
    }

    /// Sparse form for the pipe between worker and parent: [value, count] for each non-empty bucket.
    var sparse: [[UInt64]] {
        recordedValues().map { [$0.value, $0.count] }
    }

    static func fromSparse(_ pairs: [[UInt64]]) -> Hist {
        var histogram = makeHistogram()
        for pair in pairs where pair.count == 2 && pair[1] > 0 {
            _ = histogram.record(Swift.min(pair[0], histogram.highestTrackableValue), count: pair[1])
        }
        return histogram
    }
}

/// Per request type: latency from the scheduled send time (corrected for coordinated omission),
/// latency from the actual write to the socket (raw), answers by status ("0" = no answer), and
/// why the requests without an answer got none (`HTTPResult.failure`).
struct KindStats: Sendable {
    var corrected = makeHistogram()
    var raw = makeHistogram()
    var statuses: [String: Int] = [:]
    var failures: [String: Int] = [:]

    mutating func add(_ other: KindStats) {
        corrected.add(other.corrected)
        raw.add(other.raw)
        statuses.merge(other.statuses, uniquingKeysWith: +)
        failures.merge(other.failures, uniquingKeysWith: +)
    }

    var wire: KindStatsWire {
        KindStatsWire(corrected: corrected.sparse, raw: raw.sparse, statuses: statuses, failures: failures)
    }
}

struct KindStatsWire: Codable, Sendable {
    var corrected: [[UInt64]]
    var raw: [[UInt64]]
    var statuses: [String: Int]
    var failures: [String: Int]

    var stats: KindStats {
        KindStats(corrected: .fromSparse(corrected), raw: .fromSparse(raw), statuses: statuses, failures: failures)
    }
}

/// A booking that got a 201, and what the tool itself did to it later.
struct BookingRecord: Codable, Sendable {
    var id: Int
    var barberID: Int
    var serviceID: Int
    var clientID: Int
    var start: String
    var end: String
    /// The tool cancelled it (200 to its cancel).
    var cancelled = false
    /// A cancel or reschedule got no clear answer (timeout, closed connection, 5xx): its final state is unknown.
    var uncertain = false
    var rescheduled = 0
}

/// What a worker (thread group or process) reports.
struct WorkerResult: Codable, Sendable {
    var kinds: [String: KindStatsWire]
    var bookings: [BookingRecord]
    var scheduled: Int
    var completed: Int
    var errors: Int
    var unfinished: Int
    var elapsed: Double
    var connectionsOpened: Int
}

struct Progress: Codable, Sendable {
    var completed: Int
    var errors: Int
    var active: Int
    var all: [[UInt64]]
}

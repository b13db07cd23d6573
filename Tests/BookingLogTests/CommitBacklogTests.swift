import BookingCore
import Testing

@testable import BookingLog

/// The writer's reordering: appenders take LSNs and push records in separate steps, so records
/// can arrive out of order; only the run that continues the file is handed out.
struct CommitBacklogTests {
    func pending(_ lsn: LSN, at seconds: Int64 = 0) -> CommitQueue.Pending {
        CommitQueue.Pending(lsn: lsn, appendedAt: Instant(seconds: seconds), payload: [UInt8(lsn)])
    }

    @Test func recordsBehindAGapWaitUntilItCloses() {
        var backlog = CommitBacklog(after: 10)
        #expect(backlog.continuing(with: [pending(13), pending(12)]).isEmpty)
        #expect(backlog.holdsRecords && backlog.nextLSN == 11)
        #expect(backlog.continuing(with: [pending(15)]).isEmpty)
        let run = backlog.continuing(with: [pending(11)])
        #expect(run.map(\.lsn) == [11, 12, 13])
        #expect(run.map(\.payload) == [[11], [12], [13]])
        #expect(backlog.nextLSN == 14 && backlog.holdsRecords)
        #expect(backlog.continuing(with: [pending(14), pending(16)]).map(\.lsn) == [14, 15, 16])
        #expect(!backlog.holdsRecords && backlog.nextLSN == 17)
        #expect(backlog.continuing(with: []).isEmpty)
    }

    @Test func timesNeverGoBackAlongLSNsAcrossRuns() {
        var backlog = CommitBacklog(after: 0)
        // LSN 2 was stamped before LSN 1 took its LSN, with a clock that went back in between.
        #expect(backlog.continuing(with: [pending(2, at: 90), pending(1, at: 100)]).map(\.appendedAt.seconds) == [100, 100])
        #expect(backlog.continuing(with: [pending(3, at: 95)]).map(\.appendedAt.seconds) == [100])
        #expect(backlog.continuing(with: [pending(4, at: 120)]).map(\.appendedAt.seconds) == [120])
    }
}

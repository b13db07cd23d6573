import Testing

@testable import BookedBarberHTTP

/// The pure token-bucket rules behind rate limiting, driven with hand-picked times (seconds):
/// no clock, no sleeping, no HTTP.
@Suite struct TokenBucketTests {
    @Test func aNewClientMaySendABurstAndIsThenRefusedWithAWholeSecondRetryAfter() {
        let policy = TokenBucketPolicy(tokensPerSecond: 2, capacity: 3)
        var bucket = TokenBucket(full: policy, at: 0)
        for _ in 0..<3 { #expect(bucket.take(at: 0, policy: policy) == .allowed) }
        #expect(bucket.take(at: 0, policy: policy) == .limited(retryAfterSeconds: 1))
    }

    @Test func tokensComeBackAtTheRateAndNeverBeyondTheCapacity() {
        let policy = TokenBucketPolicy(tokensPerSecond: 1, capacity: 2)
        var bucket = TokenBucket(full: policy, at: 100)
        #expect(bucket.take(at: 100, policy: policy) == .allowed)
        #expect(bucket.take(at: 100, policy: policy) == .allowed)
        #expect(bucket.take(at: 100.5, policy: policy) == .limited(retryAfterSeconds: 1))
        #expect(bucket.take(at: 101, policy: policy) == .allowed)
        #expect(bucket.take(at: 101, policy: policy) == .limited(retryAfterSeconds: 1))
        // A long quiet spell saves up no more than the capacity.
        #expect(bucket.take(at: 1_000, policy: policy) == .allowed)
        #expect(bucket.take(at: 1_000, policy: policy) == .allowed)
        #expect(bucket.take(at: 1_000, policy: policy) == .limited(retryAfterSeconds: 1))
    }

    @Test func retryAfterSaysWhenTheNextTokenIsBackRoundedUp() {
        let policy = TokenBucketPolicy(tokensPerSecond: 10.0 / 60, capacity: 1)  // the auth budget's shape
        var bucket = TokenBucket(full: policy, at: 0)
        #expect(bucket.take(at: 0, policy: policy) == .allowed)
        #expect(bucket.take(at: 0, policy: policy) == .limited(retryAfterSeconds: 6))
        #expect(bucket.take(at: 2.5, policy: policy) == .limited(retryAfterSeconds: 4))
        #expect(bucket.take(at: 5.9, policy: policy) == .limited(retryAfterSeconds: 1))
        #expect(bucket.take(at: 6, policy: policy) == .allowed)
    }

    @Test func refusedRequestsTakeNothingSoHammeringDoesNotDelayTheNextToken() {
        let policy = TokenBucketPolicy(tokensPerSecond: 1, capacity: 1)
        var bucket = TokenBucket(full: policy, at: 0)
        #expect(bucket.take(at: 0, policy: policy) == .allowed)
        for step in 1..<100 { #expect(bucket.take(at: Double(step) / 100, policy: policy) != .allowed) }
        #expect(bucket.take(at: 1, policy: policy) == .allowed)
    }

    @Test func aTableForgetsOnlyBucketsThatHaveRefilledWhenASweepIsDue() {
        let policy = TokenBucketPolicy(tokensPerSecond: 1, capacity: 10)  // fills in 10 s
        var table = TokenBucketTable<String>(policy: policy, capacity: 1_000)
        #expect(table.take("b", at: 0) == .allowed)
        for _ in 0..<10 { #expect(table.take("a", at: 9) == .allowed) }
        #expect(table.take("a", at: 9) == .limited(retryAfterSeconds: 1))
        #expect(table.count == 2)
        // A new client 10 s after the last sweep: "b" is full again and forgotten, "a" is not.
        #expect(table.take("c", at: 10) == .allowed)
        #expect(Set(table.buckets.keys) == ["a", "c"])
        #expect(table.take("a", at: 10) == .allowed)
        #expect(table.take("a", at: 10) == .limited(retryAfterSeconds: 1), "a's spent budget survived the sweep")
    }

    @Test func manyDistinctClientsNeverGrowATableBeyondItsCapacityAndRecentOnesAreKept() {
        let policy = TokenBucketPolicy(tokensPerSecond: 1, capacity: 1)
        var table = TokenBucketTable<Int>(policy: policy, capacity: 100)
        var largest = 0
        for client in 0..<10_000 {
            #expect(table.take(client, at: 0.5) == .allowed)
            largest = max(largest, table.count)
        }
        #expect(largest <= 100)
        // The client seen last still has its spent bucket: it is refused, not handed a new one.
        #expect(table.take(9_999, at: 0.5) == .limited(retryAfterSeconds: 1))
    }

    @Test func theShardedLimiterStaysBoundedAndLetsIdleClientsGo() {
        let clock = ManualDurationClock()
        let limiter = RateLimiter(
            policy: TokenBucketPolicy(tokensPerSecond: 1, capacity: 2), maxClients: 1_600, shards: 16, clock: { clock.now })
        for index in 0..<50_000 {
            let address = IPAddress(high: 0, low: 0xFFFF_0000_0000 | UInt64(index))
            #expect(limiter.take(address) == .allowed)
        }
        #expect(limiter.trackedClients <= 1_600)
        #expect(limiter.trackedClients >= 800, "a bound, not an empty table")
        clock.advance(by: .seconds(60))
        for index in 0..<800 { _ = limiter.take(IPAddress(high: 1, low: UInt64(index))) }
        #expect(limiter.trackedClients == 800, "every bucket idle for a minute was dropped at the next sweep")
    }
}

import Dispatch
import Foundation
import Synchronization
import Testing

@testable import BookingEngine

/// The lock-free stack between the appenders and the writer thread (and the notification
/// journal's stages): under threads pushing at once while others take, every element arrives
/// exactly once, and with one taker each pushing thread's in its order.
struct HandoffStackTests {
    @Test func takeAllReturnsWhatWasPushedInPushOrderAndEmptiesTheStack() {
        let stack = HandoffStack<Int>()
        #expect(stack.isEmpty && stack.takeAll().isEmpty)
        for value in 1...5 { stack.push(value) }
        #expect(!stack.isEmpty)
        #expect(stack.takeAll() == [1, 2, 3, 4, 5])
        #expect(stack.isEmpty && stack.takeAll().isEmpty)
        stack.push(6)
        #expect(stack.takeAll() == [6])
    }

    /// `producers` threads push `perProducer` distinct numbers each while `takers` threads take
    /// until the producers are done and the stack is empty; returns what was taken, in the order
    /// the batches were collected.
    static func race(producers: Int, perProducer: Int, takers: Int) -> [Int] {
        let stack = HandoffStack<Int>()
        let finished = Atomic(0)
        let collected = Mutex<[Int]>([])
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<takers {
            Thread.detachNewThread {
                while finished.load(ordering: .sequentiallyConsistent) < producers || !stack.isEmpty {
                    let batch = stack.takeAll()
                    collected.withLock { $0.append(contentsOf: batch) }
                }
                done.signal()
            }
        }
        DispatchQueue.concurrentPerform(iterations: producers) { producer in
            for index in 0..<perProducer { stack.push(producer * perProducer + index) }
            finished.add(1, ordering: .sequentiallyConsistent)
        }
        for _ in 0..<takers { done.wait() }
        return collected.withLock { $0 }
    }

    @Test func concurrentPushesWhileTakingLoseNothingAndDuplicateNothing() {
        let producers = 8
        let perProducer = 20_000
        let taken = Self.race(producers: producers, perProducer: perProducer, takers: 1)
        #expect(taken.count == producers * perProducer)
        #expect(Set(taken).count == producers * perProducer)
        // Each producer's elements arrive in the order it pushed them.
        var last = [Int](repeating: -1, count: producers)
        var inOrder = true
        for value in taken {
            let producer = value / perProducer
            if value <= last[producer] { inOrder = false }
            last[producer] = value
        }
        #expect(inOrder)
    }

    /// Several takers at once (the notification journal's readers all catch up): each element
    /// is taken by exactly one of them.
    @Test func concurrentTakersShareTheElementsWithoutLosingOrDuplicatingAny() {
        let taken = Self.race(producers: 4, perProducer: 20_000, takers: 3)
        #expect(taken.count == 4 * 20_000)
        #expect(Set(taken) == Set(0..<4 * 20_000))
    }
}

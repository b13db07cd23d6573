import Dispatch
import Foundation
import Synchronization
import Testing

@testable import BookingLog

/// The lock-free stack between the appenders and the writer thread: under threads pushing at
/// once while another takes, every element arrives exactly once, each thread's in its order.
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

    @Test func concurrentPushesWhileTakingLoseNothingAndDuplicateNothing() {
        let producers = 8
        let perProducer = 20_000
        let stack = HandoffStack<Int>()
        let finished = Atomic(0)
        let collected = Mutex<[Int]>([])
        let consumer = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            while finished.load(ordering: .sequentiallyConsistent) < producers || !stack.isEmpty {
                let batch = stack.takeAll()
                collected.withLock { $0.append(contentsOf: batch) }
            }
            consumer.signal()
        }
        DispatchQueue.concurrentPerform(iterations: producers) { producer in
            for index in 0..<perProducer { stack.push(producer * perProducer + index) }
            finished.add(1, ordering: .sequentiallyConsistent)
        }
        consumer.wait()
        let taken = collected.withLock { $0 }
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
}

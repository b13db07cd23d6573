import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How worker processes end with their coordinator, whatever ends it:
///
/// - the coordinator gets SIGTERM or SIGINT: it sends SIGTERM to every worker, waits up to 5 s
///   for them (then SIGKILL), and exits with 128 + the signal's number;
/// - the coordinator dies (`kill -9`, a crash): each worker sees its standard input end, or its
///   parent change, and exits with status 3;
/// - a worker's report cannot be written (the coordinator is gone): it exits with status 3
///   instead of dying of SIGPIPE or trapping on the write.
enum WorkerLifetime {
    private static let stopping = Atomic<Bool>(false)

    /// True once a signal is stopping the coordinator: its own flow then leaves the exit to the
    /// signal handler (workers it sees ending are the ones the handler stopped).
    static var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// The coordinator's workers, registered as they start.
    final class Workers: @unchecked Sendable {
        // @unchecked: `list` is only read and written under `lock`.
        private let lock = NSLock()
        private var list: [Process] = []
        func add(_ process: Process) { lock.withLock { list.append(process) } }
        var all: [Process] { lock.withLock { list } }
    }

    /// In the coordinator, before the first worker starts: SIGTERM and SIGINT are forwarded to
    /// every worker in `registry`.
    static func forwardTermination(to registry: Workers) -> [any DispatchSourceSignal] {
        [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                stopping.store(true, ordering: .releasing)
                let workers = registry.all
                for worker in workers where worker.isRunning { kill(worker.processIdentifier, SIGTERM) }
                let deadline = Date().addingTimeInterval(5)
                while workers.contains(where: \.isRunning), Date() < deadline { usleep(20_000) }
                for worker in workers where worker.isRunning { kill(worker.processIdentifier, SIGKILL) }
                try? FileHandle.standardError.write(contentsOf: Data("loadtest: stopped by signal \(number); workers ended\n".utf8))
                exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    /// In a worker, from its start: write errors instead of SIGPIPE, and exit when the parent
    /// goes away (its pipe ends, or this process is handed to another parent).
    static func endWithParent() {
        signal(SIGPIPE, SIG_IGN)
        let parent = getppid()
        Thread.detachNewThread {
            while getppid() == parent { usleep(100_000) }
            exit(3)
        }
    }

    /// Writes one line to standard output; if the coordinator cannot read it any more, exits 3.
    static func report(_ line: Data) {
        var bytes = [UInt8](line)
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { exit(3) }
            offset += written
        }
    }
}

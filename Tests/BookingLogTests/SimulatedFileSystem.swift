import BookingLog
import Glibc
import Synchronization
import TestSupport

/// A `LogFileSystem` in memory that knows what a power loss would keep, for crash tests.
///
/// Each file keeps the bytes a reader sees and the bytes that are durable (as of its last
/// `syncData`/`sync`); each name is durable once its directory is synced. `crashImage` builds
/// what could be on disk after a power loss now: durable names and bytes, plus (by `Tear`) a
/// random prefix of the bytes appended since the last sync. A scheduled crash takes that image
/// at a chosen step and then fails every operation, as a dead machine would; an injected
/// failure fails one chosen operation with `EIO`.
///
/// Every mutating operation (opening, writing, syncing, truncating, renaming, removing) is a step.
/// Why it is safe to share: all state is behind one mutex.
final class SimulatedFileSystem: LogFileSystem {
    enum Operation: Hashable, Sendable {
        case open, write, syncData, sync, truncate, rename, remove, syncDirectory
    }

    /// What a crash keeps of the bytes appended to a file since its last sync.
    enum Tear: CaseIterable, Sendable {
        /// Nothing.
        case dropUnsynced
        /// A random prefix of them.
        case keepPrefix
        /// A random prefix of them, then zeros for some more (the size reached the disk, the data not).
        case keepPrefixThenZeros
    }

    private struct File {
        var data: [UInt8] = []
        var durable: [UInt8] = []
    }

    private struct State {
        var files: [Int: File] = [:]
        var names: [String: Int] = [:]
        var durableNames: [String: Int] = [:]
        var nextFile = 1
        var steps = 0
        var calls: [Operation: Int] = [:]
        var failures: [(operation: Operation, skip: Int)] = []
        var plannedCrash: (step: Int, tear: Tear, generator: SeededGenerator)?
        var image: SimulatedFileSystem?
        var dead = false
        /// The size of the disk; nil for one that never fills.
        var capacity: Int?

        /// What the files named now hold together.
        var usedBytes: Int { Set(names.values).reduce(0) { $0 + files[$1]!.data.count } }

        var availableBytes: Int { capacity.map { max(0, $0 - usedBytes) } ?? Int.max }
    }

    private let state: Mutex<State>
    /// How long each `syncData` takes, outside the lock, as a disk's flush does.
    private let syncDelay: Duration

    init(syncDelay: Duration = .zero) {
        self.state = Mutex(State())
        self.syncDelay = syncDelay
    }

    private init(state: State) {
        self.state = Mutex(state)
        self.syncDelay = .zero
    }

    // MARK: - Crashes and failures

    /// What a power loss now could leave: a new file system holding only that.
    func crashImage(tear: Tear, seed: UInt64) -> SimulatedFileSystem {
        var generator = SeededGenerator(seed: seed)
        return SimulatedFileSystem(state: state.withLock { Self.image(of: $0, tear: tear, using: &generator) })
    }

    /// Makes the machine die at the `steps`-th mutating operation from now (1 = the next one): the
    /// crash image is taken then (a write at that step may be torn), and that operation and all
    /// later ones fail with `EIO`.
    func scheduleCrash(inSteps steps: Int, tear: Tear, seed: UInt64) {
        state.withLock { $0.plannedCrash = ($0.steps + steps, tear, SeededGenerator(seed: seed)) }
    }

    /// The image taken by a scheduled crash, once it happened.
    var crashedImage: SimulatedFileSystem? {
        state.withLock { $0.image }
    }

    /// Makes the next `operation` after `skipping` others of its kind fail with `EIO`.
    func injectFailure(_ operation: Operation, skipping: Int = 0) {
        state.withLock { $0.failures.append((operation, skipping)) }
    }

    /// Makes the disk hold `bytes` in all (nil: unlimited): `availableBytes` reports what is left,
    /// and a write that does not fit writes what fits and fails with `ENOSPC`, as a full disk does.
    func setCapacity(_ bytes: Int?) {
        state.withLock { $0.capacity = bytes }
    }

    /// How often `operation` was called, failed calls included.
    func calls(_ operation: Operation) -> Int { state.withLock { $0.calls[operation, default: 0] } }

    // MARK: - Direct access for tests

    /// Creates or replaces the file at `path` with `bytes`, durable, name included.
    func install(_ path: String, _ bytes: [UInt8]) {
        state.withLock { state in
            let id = state.names[path] ?? state.nextFile
            state.nextFile = max(state.nextFile, id + 1)
            state.files[id] = File(data: bytes, durable: bytes)
            state.names[path] = id
            state.durableNames[path] = id
        }
    }

    /// The bytes a reader of `path` sees, or nil if there is no such file.
    func contents(_ path: String) -> [UInt8]? {
        state.withLock { state in state.names[path].map { state.files[$0]!.data } }
    }

    // MARK: - LogFileSystem

    func openForAppending(_ path: String, truncating: Bool) throws -> any LogFile {
        try perform(.open, path) { state in
            let id: Int
            if let existing = state.names[path] {
                id = existing
                if truncating { state.files[id]!.data = [] }
            } else {
                id = state.nextFile
                state.nextFile += 1
                state.files[id] = File()
                state.names[path] = id
            }
            return SimulatedFile(fileSystem: self, id: id, path: path)
        }
    }

    func readFile(_ path: String) throws -> [UInt8] {
        try read(path) { $0 }
    }

    func read(_ path: String, offset: Int, count: Int) throws -> [UInt8] {
        try read(path) { data in Array(data.dropFirst(offset).prefix(count)) }
    }

    func fileSize(_ path: String) throws -> Int {
        try read(path) { $0.count }
    }

    func truncate(_ path: String, to size: Int) throws {
        try perform(.truncate, path) { state in
            guard let id = state.names[path] else { throw Self.error("truncate", path, ENOENT) }
            state.files[id]!.data = Array(state.files[id]!.data.prefix(size))
        }
    }

    func rename(_ source: String, to destination: String) throws {
        try perform(.rename, source) { state in
            guard let id = state.names.removeValue(forKey: source) else { throw Self.error("rename", source, ENOENT) }
            state.names[destination] = id
        }
    }

    func remove(_ path: String) throws {
        try perform(.remove, path) { state in
            guard state.names.removeValue(forKey: path) != nil else { throw Self.error("unlink", path, ENOENT) }
        }
    }

    func listDirectory(_ path: String) throws -> [String] {
        state.withLock { state in state.names.keys.compactMap { Self.name($0, in: path) } }
    }

    /// Directories are implicit in the simulated disk: a path's directory is its prefix.
    func createDirectory(_ path: String) throws {}

    func syncDirectory(_ path: String) throws {
        try perform(.syncDirectory, path) { state in
            for name in Set(state.names.keys).union(state.durableNames.keys) where Self.name(name, in: path) != nil {
                state.durableNames[name] = state.names[name]
            }
        }
    }

    func availableBytes(_ path: String) throws -> Int {
        state.withLock { $0.availableBytes }
    }

    // MARK: - Files

    func append(_ bytes: [UInt8], to id: Int, path: String) throws {
        try perform(.write, path, tearing: (id, bytes)) { state in
            let available = state.availableBytes
            guard bytes.count <= available else {
                state.files[id]!.data += bytes.prefix(available)
                throw Self.error("write", path, ENOSPC)
            }
            state.files[id]!.data += bytes
        }
    }

    func sync(_ id: Int, path: String, operation: Operation) throws {
        if syncDelay > .zero {
            let (seconds, attoseconds) = syncDelay.components
            usleep(UInt32(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
        }
        try perform(operation, path) { state in state.files[id]!.durable = state.files[id]!.data }
    }

    /// Counts the step, then fails it (dead, injected or crashing) or applies `body`. A crash at
    /// a write applies the write before taking the image, so the image may keep part of it.
    private func perform<Result>(
        _ operation: Operation, _ path: String, tearing write: (id: Int, bytes: [UInt8])? = nil,
        _ body: (inout State) throws -> Result
    ) throws -> Result {
        try state.withLock { state in
            guard !state.dead else { throw Self.error("\(operation)", path, EIO) }
            state.steps += 1
            state.calls[operation, default: 0] += 1
            if let index = state.failures.firstIndex(where: { $0.operation == operation }) {
                if state.failures[index].skip == 0 {
                    state.failures.remove(at: index)
                    throw Self.error("\(operation)", path, EIO)
                }
                state.failures[index].skip -= 1
            }
            if var crash = state.plannedCrash, crash.step == state.steps {
                if let write { state.files[write.id]!.data += write.bytes }
                state.image = SimulatedFileSystem(state: Self.image(of: state, tear: crash.tear, using: &crash.generator))
                state.dead = true
                throw Self.error("\(operation)", path, EIO)
            }
            return try body(&state)
        }
    }

    private func read<Result>(_ path: String, _ body: ([UInt8]) -> Result) throws -> Result {
        try state.withLock { state in
            guard let id = state.names[path] else { throw Self.error("open", path, ENOENT) }
            return body(state.files[id]!.data)
        }
    }

    private static func image(of state: State, tear: Tear, using generator: inout SeededGenerator) -> State {
        var image = State()
        image.names = state.durableNames
        image.durableNames = state.durableNames
        image.nextFile = state.nextFile
        for id in Set(state.durableNames.values) {
            let file = state.files[id]!
            var kept = file.durable
            if file.data.count > file.durable.count, file.data.starts(with: file.durable) {
                let unsynced = file.data[file.durable.count...]
                switch tear {
                case .dropUnsynced:
                    break
                case .keepPrefix:
                    kept += unsynced.prefix(Int.random(in: 0...unsynced.count, using: &generator))
                case .keepPrefixThenZeros:
                    let prefix = Int.random(in: 0...unsynced.count, using: &generator)
                    kept += unsynced.prefix(prefix)
                    kept += repeatElement(0, count: Int.random(in: 0...(unsynced.count - prefix), using: &generator))
                }
            }
            image.files[id] = File(data: kept, durable: kept)
        }
        return image
    }

    /// The name of `path` if it is directly inside `directory`.
    private static func name(_ path: String, in directory: String) -> String? {
        guard path.hasPrefix(directory + "/") else { return nil }
        let name = path.dropFirst(directory.count + 1)
        return name.contains("/") ? nil : String(name)
    }

    private static func error(_ operation: String, _ path: String, _ code: Int32) -> FileSystemError {
        FileSystemError(operation: operation, path: path, errno: code, reason: String(cString: strerror(code)))
    }
}

/// A file of a `SimulatedFileSystem`; it stays writable after its name is removed, as on POSIX.
struct SimulatedFile: LogFile {
    let fileSystem: SimulatedFileSystem
    let id: Int
    let path: String

    func write(_ bytes: [UInt8]) throws { try fileSystem.append(bytes, to: id, path: path) }
    func syncData() throws { try fileSystem.sync(id, path: path, operation: .syncData) }
    func sync() throws { try fileSystem.sync(id, path: path, operation: .sync) }
    func close() {}
}

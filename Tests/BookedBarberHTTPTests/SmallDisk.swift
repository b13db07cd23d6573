import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real small file system for a data directory: a tmpfs of `bytes` mounted by the test (as
/// root) at a fresh directory, and a filler file that eats its free space on demand.
///
/// `@unchecked Sendable`: one test owns it and calls it from one task at a time.
final class SmallDisk: @unchecked Sendable {
    /// The temporary directory holding the mount point (and, outside the tmpfs, server output).
    let base: String
    let mountPoint: String
    var filler: String { mountPoint + "/filler" }

    /// Mounts the tmpfs, or says why the machine refused (no root, no mount namespace).
    static func mount(bytes: Int) -> Result<SmallDisk, MountRefused> {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("bb-disk-\(UInt64.random(in: 0 ... .max))").path
        let mountPoint = base + "/mnt"
        do {
            try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
            let (status, output) = try run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", mountPoint])
            guard status == 0 else {
                try? FileManager.default.removeItem(atPath: base)
                return .failure(MountRefused(reason: "mount exited \(status): \(output)"))
            }
        } catch {
            try? FileManager.default.removeItem(atPath: base)
            return .failure(MountRefused(reason: "\(error)"))
        }
        return .success(SmallDisk(base: base, mountPoint: mountPoint))
    }

    struct MountRefused: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    private init(base: String, mountPoint: String) {
        self.base = base
        self.mountPoint = mountPoint
    }

    /// Free bytes of the tmpfs (`statvfs`, as the server reads it).
    var availableBytes: Int {
        var status = statvfs()
        precondition(statvfs(mountPoint, &status) == 0, "statvfs \(mountPoint): \(String(cString: strerror(errno)))")
        return Int(status.f_bavail) * Int(status.f_frsize)
    }

    /// Grows or shrinks the filler so that about `bytes` stay free (to a page), whatever the
    /// server wrote meanwhile.
    func fill(leaving bytes: Int) throws {
        let descriptor = open(filler, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let size = Int(lseek(descriptor, 0, SEEK_END))
        let excess = availableBytes - bytes
        if excess < 0 {
            guard ftruncate(descriptor, off_t(max(0, size + excess))) == 0 else { throw POSIXError(.EIO) }
            return
        }
        try append(excess, to: descriptor)
    }

    /// Fills the tmpfs to the last byte: the filler grows until the kernel says ENOSPC.
    func fillCompletely() throws {
        let descriptor = open(filler, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        try append(Int.max, to: descriptor)
    }

    /// Frees what the filler took.
    func removeFiller() {
        unlink(filler)
    }

    /// Unmounts the tmpfs and removes the temporary directory; the server must have exited.
    func unmount() {
        _ = try? Self.run("/bin/umount", [mountPoint])
        try? FileManager.default.removeItem(atPath: base)
    }

    /// Appends zeros until `count` bytes are written or the disk is full.
    private func append(_ count: Int, to descriptor: Int32) throws {
        let chunk = [UInt8](repeating: 0, count: 64 << 10)
        var left = count
        while left > 0 {
            let result = chunk.withUnsafeBytes { write(descriptor, $0.baseAddress!, min(left, $0.count)) }
            if result < 0 {
                if errno == EINTR { continue }
                if errno == ENOSPC { return }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            left -= result
        }
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

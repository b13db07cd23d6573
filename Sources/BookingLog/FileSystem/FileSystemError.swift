/// A failed file operation: what was done to which path, and the `errno` it failed with.
public struct FileSystemError: Error, Equatable, CustomStringConvertible {
    /// The operation, as its system call is named (`open`, `write`, `fdatasync`, …).
    public var operation: String
    public var path: String
    public var errno: Int32
    /// What the system says `errno` means.
    public var reason: String

    public init(operation: String, path: String, errno: Int32, reason: String) {
        self.operation = operation
        self.path = path
        self.errno = errno
        self.reason = reason
    }

    public var description: String { "\(operation) \(path): \(reason) (errno \(errno))" }
}

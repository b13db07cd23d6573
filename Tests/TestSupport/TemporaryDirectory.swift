import Foundation

/// A new, empty directory under the system's temporary directory, named `prefix-<random>`; the
/// caller removes it (`defer { try? FileManager.default.removeItem(atPath: path) }`).
public func makeTemporaryDirectory(_ prefix: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UInt64.random(in: 0 ... .max))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

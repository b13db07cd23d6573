import BookingLog
import Foundation
import Glibc

/// The token signing key kept in the data dir (`jwt-secret`, 64 random bytes as hex, mode 0600),
/// created on first start so tokens stay valid across restarts.
///
/// Only an absent file is created. A file that exists but cannot be read, is not UTF-8, or does
/// not hold a hex key of at least 32 bytes stops the start with a message and is left as it is:
/// replacing it would silently log everyone out. A new key is written to a temporary file,
/// synced and renamed, so a crash never leaves a half-written key.
enum JWTSecretFile {
    static let name = "jwt-secret"

    static func loadOrCreate(in directory: String, fileSystem: any LogFileSystem) throws -> [UInt8] {
        let path = directory + "/" + name
        do {
            return try parse(try fileSystem.readFile(path), path: path)
        } catch let error as FileSystemError where error.errno == ENOENT {
            return try create(at: path, in: directory, fileSystem: fileSystem)
        } catch let error as FileSystemError {
            throw ConfigurationError("\(path) exists but cannot be read (\(error)); fix or remove it (removing it logs everyone out)")
        }
    }

    private static func parse(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigurationError("\(path) is not UTF-8 text; it must hold a hex key of at least 32 bytes")
        }
        let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard hex.count >= 64, let key = decodeHex(hex) else {
            throw ConfigurationError("\(path) does not hold a hex key of at least 32 bytes")
        }
        return key
    }

    private static func create(at path: String, in directory: String, fileSystem: any LogFileSystem) throws -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let key = (0..<64).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let hex = key.map { String(format: "%02x", $0) }.joined()
        do {
            try fileSystem.createDirectory(directory)
            let temporary = path + ".tmp"
            let file = try fileSystem.openForAppending(temporary, truncating: true)
            defer { file.close() }
            try file.write(Array((hex + "\n").utf8))
            try file.sync()
            try fileSystem.rename(temporary, to: path)
            try fileSystem.syncDirectory(directory)
        } catch {
            throw ConfigurationError("cannot write the token key \(path): \(error)")
        }
        return key
    }

    private static func decodeHex(_ hex: String) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

import Foundation

/// The token signing key kept in the data dir (`jwt-secret`, 64 random bytes, hex, mode 0600),
/// created on first start so tokens stay valid across restarts.
enum JWTSecretFile {
    static func loadOrCreate(in directory: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: directory).appendingPathComponent("jwt-secret")
        if let text = try? String(contentsOf: url, encoding: .utf8) {
            let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard hex.count >= 64, let bytes = decodeHex(hex) else {
                throw ConfigurationError("\(url.path) does not hold a hex key of at least 32 bytes")
            }
            return bytes
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<64).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        guard FileManager.default.createFile(atPath: url.path, contents: Data((hex + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw ConfigurationError("cannot write \(url.path)") }
        return bytes
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

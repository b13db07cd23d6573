import CZlib

/// Whole-buffer deflate and inflate through the system zlib (zlib format, RFC 1950).
enum Zlib {
    /// The largest expansion deflate achieves (about 1032:1), used to reject an uncompressed length
    /// that no compressed body of the given size can produce before allocating for it.
    static let maximumExpansion = 1032

    /// `bytes` deflated at `level` (0 to 9; 1 is fastest).
    static func compress(_ bytes: [UInt8], level: Int32) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(compressBound(UInt(bytes.count))))
        var outputLength = UInt(output.count)
        let status = output.withUnsafeMutableBufferPointer { destination in
            bytes.withUnsafeBufferPointer { source in
                compress2(destination.baseAddress, &outputLength, source.baseAddress, UInt(source.count), level)
            }
        }
        // compressBound guarantees room and the level is checked by the caller, so anything but
        // Z_OK is a broken zlib.
        precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
        output.removeLast(output.count - Int(outputLength))
        return output
    }

    /// The inflated `bytes`, which must be exactly `expectedLength` long; nil when the input is
    /// not a complete zlib stream of that length.
    static func decompress(_ bytes: [UInt8], expectedLength: Int) -> [UInt8]? {
        guard expectedLength >= 0, expectedLength <= bytes.count * maximumExpansion + 64 else { return nil }
        // One spare byte: a stream longer than announced fills it and is rejected below.
        var output = [UInt8](repeating: 0, count: expectedLength + 1)
        var outputLength = UInt(output.count)
        var inputLength = UInt(bytes.count)
        let status = output.withUnsafeMutableBufferPointer { destination in
            bytes.withUnsafeBufferPointer { source in
                uncompress2(destination.baseAddress, &outputLength, source.baseAddress, &inputLength)
            }
        }
        guard status == Z_OK, Int(outputLength) == expectedLength, Int(inputLength) == bytes.count else { return nil }
        output.removeLast()
        return output
    }
}

/// Reads the primitives `BinaryWriter` writes, checking every read against the bytes left.
///
/// Safe on hostile bytes: a read past the end, an over-long or overflowing LEB128 integer, a
/// count larger than the bytes left could hold, a bad tag or invalid UTF-8 throws
/// `BinaryDecodingError`; nothing traps, and no buffer is sized from a count before the count is
/// checked against the bytes left (`readCount(minimumSize:)`).
///
/// Why the unsafe pointer is safe: a reader exists only inside `read(_:_:)`, for the duration of
/// `withUnsafeBytes` on the array it reads, and every access is checked against `bytes.count`.
struct BinaryReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Reads all of `bytes` with `body`; throws if `body` does, or if it leaves bytes unread.
    static func read<T>(_ bytes: [UInt8], _ body: (inout BinaryReader) throws(BinaryDecodingError) -> T)
        throws(BinaryDecodingError) -> T
    {
        let result: Result<T, BinaryDecodingError> = bytes.withUnsafeBytes { buffer in
            var reader = BinaryReader(buffer)
            do throws(BinaryDecodingError) {
                let value = try body(&reader)
                guard reader.offset == buffer.count else {
                    throw reader.error("\(buffer.count - reader.offset) bytes left over")
                }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    var remaining: Int { bytes.count - offset }

    func error(_ reason: String) -> BinaryDecodingError { BinaryDecodingError(offset: offset, reason: reason) }

    mutating func readByte() throws(BinaryDecodingError) -> UInt8 {
        guard offset < bytes.count else { throw error("cut short") }
        let byte = bytes[offset]
        offset += 1
        return byte
    }

    mutating func readBool() throws(BinaryDecodingError) -> Bool {
        switch try readByte() {
        case 0: return false
        case 1: return true
        case let other: throw error("boolean byte \(other)")
        }
    }

    /// An unsigned LEB128 integer of at most 64 bits, in its shortest form.
    mutating func readUnsigned() throws(BinaryDecodingError) -> UInt64 {
        let first = try readByte()
        if first < 0x80 { return UInt64(first) }
        var value = UInt64(first & 0x7F)
        var shift: UInt64 = 7
        while true {
            let byte = try readByte()
            if shift == 63, byte > 1 { throw error("integer longer than 64 bits") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                if byte == 0 { throw error("integer not in its shortest form") }
                return value
            }
            shift += 7
        }
    }

    mutating func readInt64() throws(BinaryDecodingError) -> Int64 {
        let zigzag = try readUnsigned()
        return Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1)))
    }

    mutating func readInt() throws(BinaryDecodingError) -> Int { Int(try readInt64()) }

    /// A signed integer that must lie in `range`.
    mutating func readInt(in range: ClosedRange<Int>, _ what: @autoclosure () -> String) throws(BinaryDecodingError) -> Int {
        let start = offset
        let value = try readInt()
        guard range.contains(value) else { throw BinaryDecodingError(offset: start, reason: "\(what()) \(value) out of range") }
        return value
    }

    /// A count of elements that each take at least `minimumSize` bytes: never more than the bytes
    /// left could hold, so a caller may reserve capacity for it.
    mutating func readCount(minimumSize: Int) throws(BinaryDecodingError) -> Int {
        let start = offset
        let count = try readUnsigned()
        guard count <= UInt64(remaining / max(minimumSize, 1)) else {
            throw BinaryDecodingError(offset: start, reason: "count \(count) exceeds the \(remaining) bytes left")
        }
        return Int(count)
    }

    mutating func readString() throws(BinaryDecodingError) -> String {
        let length = try readCount(minimumSize: 1)
        guard let string = String(validating: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self)
        else { throw error("invalid UTF-8") }
        offset += length
        return string
    }

    /// A byte string `BinaryWriter.write(bytes:)` wrote.
    mutating func readBytes() throws(BinaryDecodingError) -> [UInt8] {
        let length = try readCount(minimumSize: 1)
        defer { offset += length }
        return Array(bytes[offset..<offset + length])
    }

    /// Tag 0: nil; tag 1: the value `readValue` reads.
    mutating func readOptional<Value>(_ readValue: (inout BinaryReader) throws(BinaryDecodingError) -> Value)
        throws(BinaryDecodingError) -> Value?
    {
        switch try readByte() {
        case 0: return nil
        case 1: return try readValue(&self)
        case let tag: throw BinaryDecodingError(offset: offset - 1, reason: "optional tag \(tag)")
        }
    }

    /// `count` elements read by `readElement`, after a count whose elements each take at least
    /// `minimumSize` bytes.
    mutating func readArray<Element>(
        minimumSize: Int, _ readElement: (inout BinaryReader) throws(BinaryDecodingError) -> Element
    ) throws(BinaryDecodingError) -> [Element] {
        let count = try readCount(minimumSize: minimumSize)
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count { elements.append(try readElement(&self)) }
        return elements
    }
}

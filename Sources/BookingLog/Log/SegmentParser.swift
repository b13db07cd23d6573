import BookingCore

/// Reads the bytes of one segment file into records, telling a torn tail from corruption.
///
/// The rules (docs/log-format.md, "Recovery"): records must follow the header back to back with
/// LSNs counting up by one from the header's first LSN. At the first frame that is not intact:
/// - in the newest segment, with no intact frame anywhere after it, the rest is a torn tail;
/// - otherwise (an older segment, or an intact frame further on) the log is corrupt.
/// An intact frame with the wrong LSN or an unknown type is always corruption, never a tear.
struct SegmentParser {
    var path: String
    /// The first LSN the segment's name gives.
    var firstLSN: LSN
    /// Whether this is the newest segment, the only one a crash can leave torn.
    var isLast: Bool
    /// Records with an LSN up to this one are checked but not kept.
    var after: LSN

    struct Parsed {
        var records: [LogRecord]
        var lastLSN: LSN
        /// The offset right after the last intact record (0 when the header itself is torn).
        var end: Int
        var tornTail: TornTail?
    }

    func parse(_ bytes: [UInt8]) throws(LogCorruption) -> Parsed {
        switch SegmentHeader.decode(bytes) {
        case .intact(let header):
            guard header.firstLSN == firstLSN else {
                throw corruption(at: 0, "header says first LSN \(header.firstLSN), the file name says \(firstLSN)")
            }
        case .unsupportedVersion(let version):
            throw corruption(at: 0, "segment format version \(version); this build reads version \(SegmentHeader.formatVersion)")
        case .damaged(let reason):
            return try torn(bytes, at: 0, reason: reason, records: [], lastLSN: firstLSN - 1)
        }
        var records: [LogRecord] = []
        var offset = SegmentHeader.size
        var next = firstLSN
        while offset < bytes.count {
            switch RecordFrame.decode(bytes, at: offset) {
            case .success(let frame):
                guard frame.lsn == next else {
                    throw corruption(at: offset, "record has LSN \(frame.lsn) where \(next) was expected")
                }
                guard let type = RecordType(rawValue: frame.typeByte) else {
                    throw corruption(at: offset, "record type \(frame.typeByte) is unknown to this build")
                }
                if next > after {
                    records.append(
                        LogRecord(lsn: next, appendedAt: frame.appendedAt, type: type, payload: Array(bytes[frame.payload])))
                }
                next += 1
                offset += frame.size
            case .failure(let damage):
                return try torn(bytes, at: offset, reason: damage.reason, records: records, lastLSN: next - 1)
            }
        }
        return Parsed(records: records, lastLSN: next - 1, end: offset, tornTail: nil)
    }

    /// The result for damage at `offset`: a torn tail, or corruption if the rules say so.
    private func torn(_ bytes: [UInt8], at offset: Int, reason: String, records: [LogRecord], lastLSN: LSN)
        throws(LogCorruption) -> Parsed
    {
        guard isLast else { throw corruption(at: offset, "\(reason) in a segment that is not the newest") }
        if let intact = firstIntactFrame(in: bytes, after: offset) {
            throw corruption(at: offset, "\(reason), but an intact record follows at byte \(intact)")
        }
        let tail = TornTail(path: path, offset: offset, droppedBytes: bytes.count - offset, reason: reason)
        return Parsed(records: records, lastLSN: lastLSN, end: offset, tornTail: tail)
    }

    /// The offset of the first intact frame at an 8-byte boundary after `offset`, if any.
    private func firstIntactFrame(in bytes: [UInt8], after offset: Int) -> Int? {
        stride(from: offset + 8, to: bytes.count, by: 8).first { candidate in
            if case .success = RecordFrame.decode(bytes, at: candidate) { true } else { false }
        }
    }

    private func corruption(at offset: Int, _ reason: String) -> LogCorruption {
        LogCorruption(path: path, offset: offset, reason: reason)
    }
}

import Foundation

/// The process's memory as Linux reports it in `/proc/self/status`, read in one go.
struct ProcessMemory {
    /// Resident set size now (`VmRSS`), in bytes; nil where `/proc` is not available.
    var residentBytes: Int?
    /// The largest resident set size so far (`VmHWM`), in bytes.
    var peakResidentBytes: Int?

    static func read() -> ProcessMemory {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return ProcessMemory() }
        var memory = ProcessMemory()
        for line in status.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") {
                memory.residentBytes = kilobytes(line)
            } else if line.hasPrefix("VmHWM:") {
                memory.peakResidentBytes = kilobytes(line)
            }
        }
        return memory
    }

    /// The `kB` value of a `/proc/self/status` line, in bytes.
    private static func kilobytes(_ line: Substring) -> Int? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
        return kilobytes * 1024
    }
}

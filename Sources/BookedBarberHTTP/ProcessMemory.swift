import Foundation

/// The process's memory as Linux reports it in `/proc/self/status`.
enum ProcessMemory {
    /// Resident set size now (`VmRSS`), in bytes; nil where `/proc` is not available.
    static func residentBytes() -> Int? { statusField("VmRSS:") }

    /// The largest resident set size so far (`VmHWM`), in bytes.
    static func peakResidentBytes() -> Int? { statusField("VmHWM:") }

    /// A `kB` field of `/proc/self/status`, in bytes.
    private static func statusField(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }
}

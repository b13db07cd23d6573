import BookedBarberHTTP
import Logging
import TestSupport
import Testing

/// `LazyMetadataLogHandler` writes exactly the lines `StreamLogHandler` writes, with the metadata
/// set on the logger and given with the message, and nothing below its level.
struct LazyMetadataLogHandlerTests {
    struct Lines: TextOutputStream, Sendable {
        let written = Shared<[String]>([])
        mutating func write(_ string: String) { written.update { $0.append(string) } }
    }

    /// A line without its leading timestamp (the clock moves between the two handlers).
    static func untimed(_ line: String) -> Substring { line.drop { $0 != " " } }

    static func logLines(_ make: (String, Lines) -> any LogHandler) -> [String] {
        let lines = Lines()
        var logger = Logger(label: "bookedbarber") { make($0, lines) }
        logger.logLevel = .info
        logger[metadataKey: "hb.request.id"] = "5f1c"
        logger[metadataKey: "route"] = "/health"
        logger.debug("not written")
        logger.info("request", metadata: ["status": "200"])
        logger[metadataKey: "route"] = nil
        logger.warning("drain")
        return lines.written.value
    }

    @Test func writesTheStreamHandlersLinesWithAllTheMetadata() {
        let lazy = Self.logLines { LazyMetadataLogHandler(label: $0, stream: $1) }
        let stream = Self.logLines { StreamLogHandler(label: $0, stream: $1) }
        #expect(lazy.count == 2)
        #expect(lazy.map(Self.untimed) == stream.map(Self.untimed))
        #expect(lazy.first?.contains("hb.request.id=5f1c") == true && lazy.first?.contains("route=/health") == true)
        #expect(lazy.first?.contains("status=200") == true)
        #expect(lazy.last?.contains("route") == false && lazy.last?.hasSuffix("drain\n") == true)
    }
}

import CompressNIO
import HTTPTypes
import Hummingbird
import NIOCore

/// gzip for answers larger than `minimumBytes` (1 KiB by default) to clients that send
/// `Accept-Encoding: gzip`: `Content-Encoding: gzip`, the compressed `Content-Length`, and
/// `Vary: Accept-Encoding` on every answer large enough to be compressed, sent compressed or not.
///
/// Most API answers are small: for them this costs one integer comparison. Not compressed: HEAD
/// answers, answers of unknown length (streams), already encoded ones, and an answer gzip would
/// not make smaller. Compression uses level 1, like nginx's default `gzip_comp_level`: JSON
/// shrinks most of the way for a fraction of the CPU of higher levels.
///
/// `RequestPipeline` applies it to every answer as it will be sent, error answers included.
struct ResponseCompression: Sendable {
    let minimumBytes: Int

    /// `response` as it goes to a client that sent `request`: compressed when that pays.
    func compress(_ response: Response, for request: Request) async throws -> Response {
        var response = response
        guard let length = response.body.contentLength, length > minimumBytes, request.method != .head,
            response.headers[.contentEncoding] == nil
        else { return response }
        response.headers.append(HTTPField(name: .vary, value: "Accept-Encoding"))
        guard Self.acceptsGzip(request.headers[values: .acceptEncoding]) else { return response }

        let collector = BodyCollector(capacity: length)
        try await response.body.write(collector)
        let plain = collector.sink.buffer
        var input = plain
        let compressed = try Self.gzip(&input)
        guard compressed.readableBytes < plain.readableBytes, collector.sink.trailers == nil else {
            response.body = ResponseBody(byteBuffer: plain)
            return response
        }
        response.headers[.contentEncoding] = "gzip"
        response.body = ResponseBody(byteBuffer: compressed)  // also sets Content-Length
        return response
    }

    /// gzip of `input`'s readable bytes. The window is the smallest power of two (2^9 to 2^15
    /// bytes) that lets a match reach back over the whole input (zlib can reach window − 262
    /// bytes): no match is lost to a smaller window, and less memory is set up for small bodies.
    static func gzip(_ input: inout ByteBuffer) throws -> ByteBuffer {
        let length = input.readableBytes + 262 - 1
        let windowBits = Int32(min(15, max(9, length.bitWidth - length.leadingZeroBitCount)))
        let compressor = try ZlibCompressor(
            algorithm: .gzip, configuration: ZlibConfiguration(windowSize: windowBits, compressionLevel: 1, memoryLevel: 8))
        var output = ByteBufferAllocator().buffer(capacity: compressor.maxSize(from: input))
        try compressor.deflate(from: &input, to: &output, flush: .finish)
        return output
    }

    /// Whether `Accept-Encoding` allows gzip: `gzip` or `x-gzip`, else `*`, with a q-value above 0.
    static func acceptsGzip(_ values: [String]) -> Bool {
        var gzip: Double?
        var any: Double?
        for value in values {
            for element in value.split(separator: ",") {
                let parameters = element.split(separator: ";")
                guard let first = parameters.first else { continue }
                let coding = first.trimmedOfWhitespace.lowercased()
                var quality = 1.0
                for parameter in parameters.dropFirst() {
                    let pair = parameter.trimmedOfWhitespace.lowercased()
                    if pair.hasPrefix("q=") { quality = Double(pair.dropFirst(2)) ?? 0 }
                }
                switch coding {
                case "gzip", "x-gzip": gzip = max(gzip ?? 0, quality)
                case "*": any = max(any ?? 0, quality)
                default: break
                }
            }
        }
        return (gzip ?? any ?? 0) > 0
    }
}

/// A `ResponseBodyWriter` that keeps what is written, to compress it as a whole.
/// Why a class is fine here: one writer is used by one task, start to finish.
private struct BodyCollector: ResponseBodyWriter {
    final class Sink {
        var buffer: ByteBuffer
        var trailers: HTTPFields?
        init(capacity: Int) { buffer = ByteBufferAllocator().buffer(capacity: capacity) }
    }
    let sink: Sink

    init(capacity: Int) { sink = Sink(capacity: capacity) }

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        sink.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        sink.trailers = trailingHeaders
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (optional whitespace, RFC 9110 §5.6.3).
    fileprivate var trimmedOfWhitespace: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}

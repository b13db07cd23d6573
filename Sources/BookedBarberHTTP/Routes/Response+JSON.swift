import Hummingbird
import NIOCore

extension Response {
    /// An answer whose body is JSON bytes written already (`JSONWriter`, the slots and summary
    /// writers, stored answers): the contract's content type, the length from the buffer.
    static func json(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}

import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Where requests go: one `--target` URL.
struct Target: Sendable, Codable {
    let host: String
    let port: Int
    let hostHeader: String

    init(url text: String) throws {
        guard let url = URL(string: text), url.scheme == "http", let host = url.host else {
            throw ValidationFailure("--target must be an http:// URL, got \(text)")
        }
        self.host = host
        self.port = url.port ?? 80
        self.hostHeader = url.port.map { "\(host):\($0)" } ?? host
    }
}

struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The outcome of one request. `status` 0 means no HTTP answer (connection failed, closed or timed out).
struct HTTPResult: Sendable {
    var status: Int
    var body: ByteBuffer?
    /// When the request was written to the socket (after any wait for the connection).
    var sentAt: NIODeadline
    var failure: String?

    var bodyJSON: Any? {
        guard let body, body.readableBytes > 0 else { return nil }
        return body.withUnsafeReadableBytes { raw in
            try? JSONSerialization.jsonObject(with: Data(raw), options: [])
        }
    }
}

struct PendingRequest: Sendable {
    let method: HTTPMethod
    let uri: String
    let headers: HTTPHeaders
    let body: ByteBuffer?
    let callback: @Sendable (HTTPResult) -> Void
}

/// One keep-alive HTTP/1.1 connection, used by one request at a time (no pipelining); requests that
/// arrive while one is in flight wait in a FIFO queue. All state is touched on `loop` only, which is
/// why the class is `@unchecked Sendable`: every entry point hops to the loop first.
final class Connection: @unchecked Sendable {
    let loop: any EventLoop
    let target: Target
    let timeout: TimeAmount
    private var channel: (any Channel)?
    private var handler: ResponseHandler?
    private var connecting = false
    private var queue = CircularBuffer<PendingRequest>()
    private var inFlight: (request: PendingRequest, sentAt: NIODeadline, generation: Int)?
    private var generation = 0
    private(set) var connects = 0

    init(loop: any EventLoop, target: Target, timeout: TimeAmount) {
        self.loop = loop
        self.target = target
        self.timeout = timeout
    }

    var isConnected: Bool { channel?.isActive ?? false }

    /// Queue a request; the callback runs on `loop`.
    func send(_ request: PendingRequest) {
        if loop.inEventLoop {
            queue.append(request)
            pump()
        } else {
            loop.execute { self.send(request) }
        }
    }

    func send(method: HTTPMethod, path: String, json: Any? = nil, token: String? = nil,
              callback: @escaping @Sendable (HTTPResult) -> Void) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: target.hostHeader)
        headers.add(name: "Accept", value: "application/json")
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        var body: ByteBuffer?
        if let json {
            let data = (try? JSONSerialization.data(withJSONObject: json, options: [])) ?? Data("null".utf8)
            body = ByteBuffer(bytes: data)
            headers.add(name: "Content-Type", value: "application/json")
        }
        headers.add(name: "Content-Length", value: String(body?.readableBytes ?? 0))
        send(PendingRequest(method: method, uri: path, headers: headers, body: body, callback: callback))
    }

    /// Async form for the admin side (setup, discovery, verification).
    func call(_ method: HTTPMethod, _ path: String, json: Any? = nil, token: String? = nil) async -> HTTPResult {
        let promise = loop.makePromise(of: HTTPResult.self)
        send(method: method, path: path, json: json, token: token) { promise.succeed($0) }
        return try! await promise.futureResult.get()
    }

    /// Open the connection ahead of the measured run.
    func connectNow() -> EventLoopFuture<Void> {
        loop.flatSubmit {
            if self.isConnected { return self.loop.makeSucceededVoidFuture() }
            return self.openChannel().map { _ in }
        }
    }

    func close() {
        loop.execute { self.channel?.close(promise: nil) }
    }

    private func openChannel() -> EventLoopFuture<any Channel> {
        connecting = true
        let handler = ResponseHandler(connection: self)
        let future = ClientBootstrap(group: loop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: target.host, port: target.port)
        future.whenComplete { result in
            self.connecting = false
            switch result {
            case .success(let channel):
                self.channel = channel
                self.handler = handler
                self.connects += 1
                self.pump()
            case .failure(let error):
                // Nothing can be sent: every waiting request fails (and is counted as an error).
                let waiting = self.queue
                self.queue.removeAll()
                for request in waiting {
                    request.callback(HTTPResult(status: 0, body: nil, sentAt: .now(), failure: "connect: \(error)"))
                }
            }
        }
        return future
    }

    private func pump() {
        guard inFlight == nil, !connecting, !queue.isEmpty else { return }
        guard let channel, channel.isActive, let handler else {
            self.channel = nil
            _ = openChannel()
            return
        }
        let request = queue.removeFirst()
        generation += 1
        let now = NIODeadline.now()
        inFlight = (request, now, generation)
        handler.write(request)
        let expected = generation
        loop.scheduleTask(in: timeout) {
            guard let current = self.inFlight, current.generation == expected else { return }
            self.inFlight = nil
            current.request.callback(HTTPResult(status: 0, body: nil, sentAt: current.sentAt, failure: "timeout"))
            self.channel?.close(promise: nil)
            self.channel = nil
            self.pump()
        }
    }

    // Called by the handler, on the loop.
    fileprivate func completed(status: Int, body: ByteBuffer?, keepAlive: Bool) {
        guard let current = inFlight else { return }
        inFlight = nil
        if !keepAlive {
            channel?.close(promise: nil)
            channel = nil
        }
        current.request.callback(HTTPResult(status: status, body: body, sentAt: current.sentAt))
        pump()
    }

    fileprivate func closed(_ closedChannel: any Channel) {
        if channel === closedChannel { channel = nil }
        if let current = inFlight {
            inFlight = nil
            current.request.callback(HTTPResult(status: 0, body: nil, sentAt: current.sentAt, failure: "connection closed"))
        }
        pump()
    }
}

/// Turns NIOHTTP1's response parts into one call per response.
final class ResponseHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let connection: Connection
    private var context: ChannelHandlerContext?
    private var status = 0
    private var keepAlive = true
    private var body: ByteBuffer?

    init(connection: Connection) { self.connection = connection }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func write(_ request: PendingRequest) {
        guard let context else { return }
        let head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.uri, headers: request.headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body = request.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            keepAlive = head.isKeepAlive
            body = nil
        case .body(var part):
            if body == nil { body = part } else { body!.writeBuffer(&part) }
        case .end:
            let (status, body, keepAlive) = (self.status, self.body, self.keepAlive)
            self.body = nil
            connection.completed(status: status, body: body, keepAlive: keepAlive)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.closed(context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request does not arrive whole within a time limit, however slowly
/// its bytes trickle in: the idle timeout alone lets a client hold a connection for ever by
/// sending a byte just before each idle period ends (slow loris).
///
/// Two handlers share the work, both on the channel's event loop. `RequestTimeoutHandler` sits
/// in front of the HTTP decoder and sees raw bytes: the first bytes of a request start the clock.
/// `RequestEndHandler` sits after the decoder and sees parsed parts: the end of a request stops
/// the clock. The time a handler takes to answer is not limited, only the time the client takes
/// to send. Invariant: the clock runs exactly while a request has begun to arrive and has not
/// ended (up to one pipelined request whose first bytes came with the previous one, which gets
/// its clock at its next bytes).
final class RequestTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private let onTimeout: @Sendable () -> Void
    private var deadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(timeout: TimeAmount, onTimeout: @escaping @Sendable () -> Void) {
        self.timeout = timeout
        self.onTimeout = onTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopClock()
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if deadline == nil {
            let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
            let onTimeout = onTimeout
            deadline = context.eventLoop.scheduleTask(in: timeout) {
                let (handler, context) = loopBound.value
                handler.deadline = nil
                onTimeout()
                context.close(promise: nil)
            }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopClock()
        context.fireChannelInactive()
    }

    /// The request whose bytes started the clock has been read whole.
    func requestEnded() { stopClock() }

    private func stopClock() {
        deadline?.cancel()
        deadline = nil
    }
}

/// The parsed side of `RequestTimeoutHandler`: tells it when a request has been read whole.
final class RequestEndHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private var clock: RequestTimeoutHandler?

    func handlerAdded(context: ChannelHandlerContext) {
        clock = try? context.pipeline.syncOperations.handler(type: RequestTimeoutHandler.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) { clock?.requestEnded() }
        context.fireChannelRead(data)
    }
}

import BookingEngine
import Synchronization

/// Where the server is in its life: recovering its state, serving, or draining before exit.
///
/// The HTTP listener starts before recovery so `/health` and `/readiness` answer from the first
/// moment; `ReadinessCheck` turns every other request away with 503 `unavailable` until the
/// engine is ready. Why this is safe: phase and engine are only read and written under the mutex,
/// and the engine, once set, is never replaced.
public final class ServerRuntime: Sendable {
    public enum Phase: String, Sendable {
        case recovering, ready, draining
    }

    private struct State {
        var phase: Phase
        var engine: ShopEngine?
    }

    private let state: Mutex<State>
    /// The data directory's free space; below the reserve the server is read-only.
    public let diskSpace = DiskSpaceStatus()

    /// A runtime still recovering: no engine yet.
    public init() { state = Mutex(State(phase: .recovering, engine: nil)) }

    /// A runtime serving `engine` at once.
    public init(serving engine: ShopEngine) { state = Mutex(State(phase: .ready, engine: engine)) }

    public var phase: Phase { state.withLock { $0.phase } }

    /// The engine. Only called once the phase has been `ready` (the middleware sees to it).
    public var engine: ShopEngine {
        guard let engine = state.withLock({ $0.engine }) else {
            preconditionFailure("the engine was used before recovery finished")
        }
        return engine
    }

    /// The engine if recovery has finished.
    public var engineIfReady: ShopEngine? { state.withLock { $0.engine } }

    public func becomeReady(_ engine: ShopEngine) {
        state.withLock { state in
            precondition(state.phase == .recovering, "ready twice")
            state = State(phase: .ready, engine: engine)
        }
    }

    public func startDraining() { state.withLock { $0.phase = .draining } }
}

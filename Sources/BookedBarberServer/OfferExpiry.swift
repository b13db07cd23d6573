import BookingCore
import BookingEngine
import Logging

/// Runs for the life of the process: once a second, if a waitlist offer has run out by the
/// engine's clock, expires it and passes its start on (`ShopEngine.expireOffers`). The decision
/// is the core's, given the clock's `now`; this task only decides when to ask.
struct OfferExpiry: Sendable {
    let engine: ShopEngine
    let logger: Logger

    func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            guard let due = await engine.nextOfferExpiry(), due <= engine.clock() else { continue }
            let expired = await engine.expireOffers()
            logger.info("waitlist offers expired", metadata: ["count": "\(expired)"])
        }
    }
}

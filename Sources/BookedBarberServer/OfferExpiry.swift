import BookingCore
import BookingEngine
import Logging

/// Runs for the life of the process: once a second, if a waitlist offer has run out by the
/// engine's clock, expires it and passes its start on (`ShopEngine.expireOffers`). The decision
/// is the core's, given the clock's `now`; this task only decides when to ask. While `isPaused`
/// (the data directory is below its space reserve and the server is read-only) it writes
/// nothing: a held start is not bookable by anyone then either, and the offers expire once
/// space is back.
struct OfferExpiry: Sendable {
    let engine: ShopEngine
    let logger: Logger
    let isPaused: @Sendable () -> Bool

    func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            guard !isPaused(), let due = await engine.nextOfferExpiry(), due <= engine.clock() else { continue }
            let expired = await engine.expireOffers()
            logger.info("waitlist offers expired", metadata: ["count": "\(expired)"])
        }
    }
}

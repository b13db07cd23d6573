import BookingCore
import BookingEngine
import Foundation
import Hummingbird

extension APIRoutes {
    struct ShopPatch: Decodable {
        var name: String?
        var time_zone: String?
        var slot_interval_minutes: Int?
        var min_notice_minutes: Int?
        var max_advance_days: Int?
        var cancellation_cutoff_minutes: Int?
    }

    func registerShop(_ routes: RouteTable) {
        routes.on(.get, "/api/v2/shop") { _, _ in
            ShopJSON(engine.catalog.settings)
        }

        routes.on(.patch, "/api/v2/shop") { request, context in
            _ = try context.admin()
            let patch = try await request.decode(as: ShopPatch.self, context: context)
            let settings = try await engine.updateShop { settings in
                if let value = patch.name { settings.name = value }
                if let value = patch.time_zone { settings.timeZone = value }
                if let value = patch.slot_interval_minutes { settings.slotIntervalMinutes = value }
                if let value = patch.min_notice_minutes { settings.minNoticeMinutes = value }
                if let value = patch.max_advance_days { settings.maxAdvanceDays = value }
                if let value = patch.cancellation_cutoff_minutes { settings.cancellationCutoffMinutes = value }
            }
            return ShopJSON(settings)
        }
    }
}

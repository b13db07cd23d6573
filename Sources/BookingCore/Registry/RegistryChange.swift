/// A change to the shop-wide state: settings, users, services and the roster of barbers.
public enum RegistryChange: Hashable, Sendable, Codable {
    case settingsSet(ShopSettings)
    case userCreated(User)
    case serviceSaved(Service)
    /// A barber exists, linked to a `barber` user or not. Their calendar gets `.barberCreated`.
    case barberAdded(id: BarberID, userID: UserID?)
}

/// The shop-wide state that is not a calendar, as a value: the pure core of `ShopDirectory`.
///
/// Invariants: `userIDByEmail` maps every user's normalized email to that user and nothing else;
/// `barberIDs` is sorted and has no duplicates.
public struct ShopRegistry: Sendable {
    public private(set) var settings = ShopSettings()
    public private(set) var users: [UserID: User] = [:]
    public private(set) var userIDByEmail: [String: UserID] = [:]
    public private(set) var services: [ServiceID: Service] = [:]
    public private(set) var barberIDs: [BarberID] = []
    public private(set) var barberIDByUser: [UserID: BarberID] = [:]

    public init() {}

    /// A registry read back from a snapshot: the same value as the changes that made it, applied
    /// in order. Throws, never traps, on what `apply` would refuse (invalid settings, an
    /// unnormalized or duplicate email, a duplicate id), on barber ids that are not strictly
    /// increasing, and on a link to a barber not in `barberIDs`.
    public init(
        settings: ShopSettings, users: [User], services: [Service], barberIDs: [BarberID], barberIDByUser: [UserID: BarberID]
    ) throws(StateInconsistency) {
        if let problem = settings.validate() { throw StateInconsistency("shop settings: \(problem)") }
        self.settings = settings
        self.users.reserveCapacity(users.count)
        userIDByEmail.reserveCapacity(users.count)
        for user in users {
            guard user.email == User.normalizedEmail(user.email) else {
                throw StateInconsistency("user \(user.id) has an unnormalized email")
            }
            guard self.users.updateValue(user, forKey: user.id) == nil, userIDByEmail.updateValue(user.id, forKey: user.email) == nil
            else { throw StateInconsistency("user \(user.id) or their email appears twice") }
        }
        for service in services {
            guard self.services.updateValue(service, forKey: service.id) == nil else {
                throw StateInconsistency("service \(service.id) appears twice")
            }
        }
        guard zip(barberIDs, barberIDs.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw StateInconsistency("barber ids are not strictly increasing")
        }
        self.barberIDs = barberIDs
        let roster = Set(barberIDs)
        for barber in barberIDByUser.values where !roster.contains(barber) {
            throw StateInconsistency("a user is linked to barber \(barber), who is not on the roster")
        }
        self.barberIDByUser = barberIDByUser
    }

    public func user(email: String) -> User? {
        userIDByEmail[User.normalizedEmail(email)].flatMap { users[$0] }
    }

    /// A new user (email normalized), or 409 `email_taken`. Field rules are checked by the caller
    /// before hashing.
    public func decideCreateUser(_ user: User) -> Result<RegistryChange, BookingError> {
        var user = user
        user.email = User.normalizedEmail(user.email)
        return userIDByEmail[user.email] == nil ? .success(.userCreated(user)) : .failure(.emailTaken)
    }

    /// The services `barber` offers, active ones, by id.
    public func serviceIDs(offeredBy barber: BarberID) -> [ServiceID] {
        services.values.ids(offeredBy: barber)
    }

    public mutating func apply(_ change: RegistryChange) {
        switch change {
        case .settingsSet(let settings):
            precondition(settings.validate() == nil, "invalid shop settings applied")
            self.settings = settings
        case .userCreated(let user):
            precondition(user.email == User.normalizedEmail(user.email), "user \(user.id) stored with an unnormalized email")
            precondition(userIDByEmail[user.email] == nil && users[user.id] == nil, "duplicate user \(user.id)")
            users[user.id] = user
            userIDByEmail[user.email] = user.id
        case .serviceSaved(let service):
            services[service.id] = service
        case .barberAdded(let id, let userID):
            let index = barberIDs.firstIndex { $0 > id } ?? barberIDs.endIndex
            precondition(index == 0 || barberIDs[index - 1] != id, "duplicate barber \(id)")
            barberIDs.insert(id, at: index)
            if let userID { barberIDByUser[userID] = id }
        }
    }
}

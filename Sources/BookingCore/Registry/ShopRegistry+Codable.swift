/// A canonical encoding: every collection as an array sorted by id, so equal registries encode to
/// equal bytes (the state digest relies on it). Derived maps are rebuilt on decode.
extension ShopRegistry: Codable {
    private enum CodingKeys: String, CodingKey { case settings, users, services, barberIDs, barberUsers }

    private struct BarberUser: Codable {
        var barberID: BarberID
        var userID: UserID
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        apply(.settingsSet(try container.decode(ShopSettings.self, forKey: .settings)))
        for user in try container.decode([User].self, forKey: .users) { apply(.userCreated(user)) }
        for service in try container.decode([Service].self, forKey: .services) { apply(.serviceSaved(service)) }
        let links = try container.decode([BarberUser].self, forKey: .barberUsers)
        let userOf = Dictionary(uniqueKeysWithValues: links.map { ($0.barberID, $0.userID) })
        for id in try container.decode([BarberID].self, forKey: .barberIDs) { apply(.barberAdded(id: id, userID: userOf[id])) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(settings, forKey: .settings)
        try container.encode(users.values.sorted { $0.id < $1.id }, forKey: .users)
        try container.encode(services.values.sorted { $0.id < $1.id }, forKey: .services)
        try container.encode(barberIDs, forKey: .barberIDs)
        try container.encode(
            barberIDByUser.map { BarberUser(barberID: $0.value, userID: $0.key) }.sorted { $0.barberID < $1.barberID },
            forKey: .barberUsers)
    }
}

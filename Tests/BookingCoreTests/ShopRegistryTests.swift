import BookingCore
import Testing

/// The shop-wide registry: users by normalized email, the sorted roster of barbers, services.
struct ShopRegistryTests {
    func user(_ id: UserID, _ email: String, role: Role = .client) -> User {
        User(id: id, email: User.normalizedEmail(email), name: "User \(id)", role: role, phone: nil, passwordHash: "$2b$x")
    }

    @Test("emails are normalized by trimming and lowercasing")
    func normalizedEmail() {
        #expect(User.normalizedEmail("  Bob@Example.COM\n") == "bob@example.com")
        #expect(User.normalizedEmail("bob@example.com") == "bob@example.com")
    }

    @Test("creating a user with an email already in use is email_taken, also when it differs only in case or spaces")
    func duplicateEmailIsTaken() throws {
        var registry = ShopRegistry()
        registry.apply(.userCreated(user(1, "bob@example.com")))
        #expect(errorCode(registry.decideCreateUser(user(2, "bob@example.com"))) == "email_taken")
        #expect(errorCode(registry.decideCreateUser(user(2, "  BOB@Example.com "))) == "email_taken")
        #expect(try registry.decideCreateUser(user(2, "alice@example.com")).get() == .userCreated(user(2, "alice@example.com")))
    }

    @Test("users are found by email in any case or spacing")
    func userLookupIsNormalized() {
        var registry = ShopRegistry()
        registry.apply(.userCreated(user(7, "Carol@Example.com")))
        #expect(registry.user(email: " CAROL@example.COM ")?.id == 7)
        #expect(registry.user(email: "dave@example.com") == nil)
        #expect(registry.users[7]?.email == "carol@example.com")
        #expect(registry.userIDByEmail == ["carol@example.com": 7])
    }

    @Test("barber ids stay sorted whatever order barbers are added in, with their linked users")
    func barberIDsAreSorted() {
        var registry = ShopRegistry()
        for (id, userID) in [(5, 50), (2, nil), (9, 90), (1, nil), (7, 70)] as [(BarberID, UserID?)] {
            registry.apply(.barberAdded(id: id, userID: userID))
        }
        #expect(registry.barberIDs == [1, 2, 5, 7, 9])
        #expect(registry.barberIDByUser == [50: 5, 90: 9, 70: 7])
    }

    @Test("services offered by a barber are the active ones listing them or everyone, by id")
    func serviceIDsOfferedByBarber() {
        var registry = ShopRegistry()
        registry.apply(.serviceSaved(Fixture.service(id: 4, barberIDs: nil)))
        registry.apply(.serviceSaved(Fixture.service(id: 2, barberIDs: [1, 3])))
        registry.apply(.serviceSaved(Fixture.service(id: 3, barberIDs: [2])))
        registry.apply(.serviceSaved(Fixture.service(id: 1, isActive: false, barberIDs: nil)))
        #expect(registry.serviceIDs(offeredBy: 1) == [2, 4])
        #expect(registry.serviceIDs(offeredBy: 2) == [3, 4])
        #expect(registry.serviceIDs(offeredBy: 99) == [4])
        registry.apply(.serviceSaved(Fixture.service(id: 4, isActive: false, barberIDs: nil)))
        #expect(registry.serviceIDs(offeredBy: 99) == [])
    }

    @Test("applied settings replace the defaults")
    func settingsAreApplied() {
        var registry = ShopRegistry()
        #expect(registry.settings == ShopSettings())
        let settings = Fixture.settings(zone: "Europe/Berlin", slot: 20, notice: 30, maxDays: 30, cutoff: 60)
        registry.apply(.settingsSet(settings))
        #expect(registry.settings == settings)
    }

    @Test("shop settings default to the contract's values and reject out-of-range ones")
    func settingsDefaultsAndValidation() {
        let defaults = ShopSettings()
        #expect(defaults.timeZone == "UTC")
        #expect(defaults.slotIntervalMinutes == 15)
        #expect(defaults.minNoticeMinutes == 60)
        #expect(defaults.maxAdvanceDays == 90)
        #expect(defaults.cancellationCutoffMinutes == 120)
        #expect(Fixture.settings(slot: 0).validate()?.code == "validation_failed")
        #expect(Fixture.settings(maxDays: 0).validate()?.code == "validation_failed")
        #expect(Fixture.settings(notice: -1).validate()?.code == "validation_failed")
        #expect(Fixture.settings(cutoff: -1).validate()?.code == "validation_failed")
    }
}

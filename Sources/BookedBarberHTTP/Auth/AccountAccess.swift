import BookingCore
import BookingEngine

/// Registration and login, shared by the JSON API (`APIRoutes+Auth`) and the web pages, so both
/// apply the same account rules (`AccountRules`, `TextLimits`) and issue the same tokens.
struct AccountAccess: Sendable {
    let runtime: ServerRuntime
    let tokens: TokenIssuer
    let passwords: PasswordHasher

    /// The engine; used only once it is ready (`ReadinessCheck`).
    var engine: ShopEngine { runtime.engine }

    /// A new `client` account and its token; 422 for a rule broken, 409 `email_taken`.
    func register(email: String, password: String, name: String, phone: String?) async throws -> (user: User, token: String) {
        try APIRoutes.validateAccount(email: email, password: password, name: name)
        _ = try Input.text(phone, field: "phone", max: TextLimits.phone)
        if await engine.user(email: email) != nil { throw APIError(BookingError.emailTaken) }
        let hash = await passwords.hash(password)
        let user = try await engine.createUser(email: email, name: name, phone: phone, role: .client, passwordHash: hash)
        return (user, try await tokens.issue(for: user, barberID: nil))
    }

    /// The user and a token for a right email and password; 401 `unauthorized` (the same for a
    /// wrong email and a wrong password) otherwise.
    func login(email: String, password: String) async throws -> (user: User, token: String) {
        let user = await engine.user(email: email)
        guard await passwords.verify(password, hash: user?.passwordHash), let user else {
            throw APIError.unauthorized("wrong email or password")
        }
        let barberID = engine.catalog.barberIDByUser[user.id]
        return (user, try await tokens.issue(for: user, barberID: barberID))
    }
}

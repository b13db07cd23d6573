import Foundation
import HTTPTypes
import Testing

@testable import BookedBarberHTTP

/// Queries and form bodies of the pages are read as the forms that sent them: `+` is a space and
/// `%2B` a plus (`QueryFields` for every page's query, Hummingbird's `URLEncodedFormDecoder` for
/// bodies): a barber's name typed into the admin form and a client search round-trip with both.
@Suite struct WebFormDecodingTests {
    @Test func aQueryIsReadAsAForm() throws {
        let fields = try QueryFields("q=Jo%2BAnne+Smith&empty=&bare&q=second&note=%20a%26b%3Dc&caf%C3%A9=%C3%A9t%C3%A9")
        #expect(fields["q"] == "Jo+Anne Smith", "+ is a space, %2B a plus, the first of two wins")
        #expect(fields["empty"] == "" && fields["bare"] == "")
        #expect(fields["note"] == " a&b=c")
        #expect(fields["café"] == "été")
        #expect(fields["missing"] == nil)
        #expect(try QueryFields("")["q"] == nil)
        for malformed in ["q=100%", "q=%zz", "q=%FF", "%=x"] {
            #expect(throws: APIError.self, "\(malformed)") { try QueryFields(malformed) }
        }
    }

    @Test func aBarberNameAndASearchWithSpacesAndAPlusRoundTripThroughThePages() async throws {
        let harness = try await APIHarness.make()
        try await harness.runPages { page, api in
            let admin = try await api.adminToken()
            try await page.signInThroughLoginForm(APIHarness.adminEmail, APIHarness.adminPassword)
            let csrf = try #require(try await page.get("/admin").csrf)

            // The new-barber form as a browser sends it: each space as `+`, the plus as `%2B`.
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let created = try await page.send(.post, "/admin/barbers", body: "csrf=\(csrf)&name=Jo%2BAnne+Smith", headers: form)
            #expect(created.status == .seeOther, "\(created.body.prefix(300))")
            let barbers = try await api.send(.get, "/api/v2/barbers")["barbers"] as? [[String: Any]] ?? []
            let barber = try #require(barbers.first { $0["name"] as? String == "Jo+Anne Smith" }, "\(barbers)")
            let id = try #require(barber["id"] as? Int)
            #expect(try await page.get("/admin").body.contains(#"value="Jo+Anne Smith""#))
            let renamed = try await page.send(.post, "/admin/barbers/\(id)", body: "csrf=\(csrf)&name=A+%2B+B&is_active=on", headers: form)
            #expect(renamed.status == .seeOther)
            #expect(try await api.send(.get, "/api/v2/barbers/\(id)", token: admin)["name"] as? String == "A + B")

            // The client search (a GET form): `+` is a space, `%2B` the plus typed in the box.
            let plus = try await api.register("plus@example.com", name: "Jo+Anne Smith")
            let space = try await api.register("space@example.com", name: "Jo Anne Smith")
            let rows = #"<tr id="client-(\d+)">"#
            let byPlus = try await page.get("/clients?q=Jo%2BAnne+Smith")
            #expect(byPlus.allMatches(rows) == ["\(plus.id)"])
            #expect(byPlus.body.contains(#"value="Jo+Anne Smith""#), "the search box shows what was typed")
            #expect(try await page.get("/clients?q=jo+anne").allMatches(rows) == ["\(space.id)"])
            #expect(try await page.get("/clients?q=Jo%20Anne").allMatches(rows) == ["\(space.id)"])

            // Another page's query, decoded the same way: the admin's date filter shows the text back.
            let filtered = try await page.get("/admin?from=next+week%2B1")
            #expect(filtered.body.contains(#"name="from" value="next week+1""#))
            #expect(filtered.body.contains("dates are written YYYY-MM-DD"))
            // A query that is not percent-encoded text is 400, on every page.
            for path in ["/clients?q=100%", "/admin?from=%FF", "/?date=%zz"] {
                #expect(try await page.get(path).status == .badRequest, "\(path)")
            }
        }
    }
}

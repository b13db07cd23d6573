import Foundation
import HTTPTypes
import Testing

extension BrowserlessClient {
    /// Signs in through the `/login` form as a browser does (its CSRF token, then the post).
    @discardableResult
    func signInThroughLoginForm(_ email: String, _ password: String) async throws -> PageResponse {
        let form = try await get("/login")
        let answer = try await post("/login", [("csrf", try #require(form.csrf)), ("email", email), ("password", password)])
        #expect(answer.status == .seeOther, "signing in as \(email): \(answer.body.prefix(500))")
        return answer
    }
}

extension PageResponse {
    /// Every match of `pattern`, each as its capture groups.
    func groups(_ pattern: String) -> [[String]] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return [] }
        return regex.matches(in: body, range: NSRange(body.startIndex..., in: body)).map { match in
            (1..<match.numberOfRanges).map { index in Range(match.range(at: index), in: body).map { String(body[$0]) } ?? "" }
        }
    }

    /// The text between `<tag … id="id"` and the tag's first closing `</tag>` (no nesting).
    func element(_ tag: String, id: String) -> String? {
        firstMatch(#"<\#(tag)[^>]* id="\#(id)"[^>]*>([\s\S]*?)</\#(tag)>"#)
    }
}

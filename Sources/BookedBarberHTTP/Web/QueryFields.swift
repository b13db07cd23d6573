import Foundation

/// A page's query string read as the HTML form that sent it (`application/x-www-form-urlencoded`,
/// as a `GET` form or a link of ours writes it): `+` is a space and `%2B` a plus, as
/// Hummingbird's `URLEncodedFormDecoder` reads a `POST` form's body. (`Request.uri.queryParameters`
/// decodes percent escapes only, so a search for `ann smith` typed in a form arrived as `ann+smith`.)
/// A name given twice keeps its first value; a field without `=` is an empty value. A field that
/// does not decode (a stray `%`, bytes that are not UTF-8) is 400 `bad_request`.
struct QueryFields: Sendable {
    private let values: [String: String]

    init(_ query: String) throws(APIError) {
        var values: [String: String] = [:]
        for field in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decoded(parts[0]), let value = Self.decoded(parts.count > 1 ? parts[1] : "") else {
                throw .badRequest("the address's query could not be read: \(field)")
            }
            if values[name] == nil { values[name] = value }
        }
        self.values = values
    }

    subscript(name: String) -> String? { values[name] }

    private static func decoded(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

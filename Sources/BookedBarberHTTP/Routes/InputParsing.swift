import BookingCore
import Foundation
import Hummingbird

/// Field parsers for request bodies and query strings: a value of the wrong format is
/// 400 `bad_request` naming the field.
enum Input {
    static func instant(_ text: String, field: String) throws(APIError) -> Instant {
        guard let instant = RFC3339.parse(text) else {
            throw .badRequest("\(field): expected an RFC 3339 instant with an offset, e.g. 2027-03-15T09:00:00-04:00")
        }
        return instant
    }

    static func date(_ text: String, field: String) throws(APIError) -> CivilDate {
        guard let date = CivilDate(parsing: text) else { throw .badRequest("\(field): expected a date YYYY-MM-DD") }
        return date
    }

    static func timeOfDay(_ text: String, field: String) throws(APIError) -> TimeOfDay {
        guard let time = TimeOfDay(parsing: text) else { throw .badRequest("\(field): expected a time HH:MM") }
        return time
    }

    /// A positive integer id from a path parameter; anything else is 404 (no such resource).
    static func pathID(_ context: AppRequestContext, _ name: String) throws(APIError) -> Int {
        guard let text = context.parameters.get(name), let id = Int(text), id > 0 else {
            throw .notFound("no \(name.replacingOccurrences(of: "_", with: " ")) \(context.parameters.get(name) ?? "")")
        }
        return id
    }

    /// An optional positive integer query parameter; present but not one is 400.
    static func queryID(_ request: Request, _ name: String) throws(APIError) -> Int? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let value = Int(text), value > 0 else { throw .badRequest("\(name): expected a positive integer") }
        return value
    }

    /// Checks an optional free text field's length against `TextLimits`.
    static func text(_ value: String?, field: String, max: Int) throws(APIError) -> String? {
        if let violation = TextLimits.violation(value, field: field, max: max) { throw APIError(violation) }
        return value
    }
}

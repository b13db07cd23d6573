import Foundation

/// Which field of a form an engine refusal belongs next to. The engine's messages start with
/// the field's name (`date_to must not be before date_from`, `phone must be at most 32
/// characters`, `time_from: expected a time HH:MM`) or with the thing the field picks
/// (`barber 2 does not offer service 1`, `service 3 not found`).
enum FormRefusal {
    static func field(of message: String, among fields: [String], otherwise fallback: String) -> String {
        let first = message.split(separator: " ").first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ":")) } ?? ""
        switch first {
        case "service" where fields.contains("service_id"): return "service_id"
        case "barber" where fields.contains("barber_id"): return "barber_id"
        default: return fields.contains(first) ? first : fallback
        }
    }
}

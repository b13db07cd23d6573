/// Days of the week, named as the contract names them (lowercase English).
public enum Weekday: String, CaseIterable, Sendable, Codable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday
}

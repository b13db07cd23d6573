/// A canonical encoding: the barber, time off by start, appointments by id. The interval indexes
/// are derived and rebuilt on decode (`init(barber:timeOff:appointments:)`), which re-checks that
/// live appointments never overlap. Holds (by entry) are written only when there are any, so a
/// calendar without holds encodes as it did before holds existed.
extension BarberCalendar: Codable {
    private enum CodingKeys: String, CodingKey { case barber, timeOff, appointments, holds }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                barber: try container.decode(Barber.self, forKey: .barber),
                timeOff: try container.decode([TimeOff].self, forKey: .timeOff),
                appointments: try container.decode([Appointment].self, forKey: .appointments))
            try restore(holds: try container.decodeIfPresent([Hold].self, forKey: .holds) ?? [])
        } catch let inconsistency as StateInconsistency {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: inconsistency.reason))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(barber, forKey: .barber)
        try container.encode(timeOff, forKey: .timeOff)
        try container.encode(appointments.values.sorted { $0.id < $1.id }, forKey: .appointments)
        if !holds.isEmpty { try container.encode(holds.values.sorted { $0.entryID < $1.entryID }, forKey: .holds) }
    }
}

import BookingCore
import Foundation
import NIOCore
import TestSupport
import Testing

@testable import BookedBarberHTTP

/// `JSONWriter`'s invariant: the hand-written answers (a booking, an appointment event, `/auth/me`)
/// are byte for byte what `JSONEncoder` (sorted keys, slashes unescaped) writes for the same shapes.
@Suite struct JSONWriterTests {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Every ASCII byte (each control, quote, backslash, slash, DEL), multi-byte UTF-8 and the
    /// line and paragraph separators.
    static let awkward: [String] = {
        var everyASCII = ""
        for byte in UInt8(0)..<0x80 { everyASCII.unicodeScalars.append(Unicode.Scalar(byte)) }
        return [
            "", everyASCII, "plain", "é€😀\u{2028}\u{2029}", "\"quoted\" \\back\\ /slash/", "line\nbreak\r\n\ttab",
            "\u{0}\u{1f}\u{7f}", "ends with backslash\\", "\"",
        ]
    }()

    static func randomText(_ random: inout SeededGenerator) -> String {
        let pieces = ["a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1b}", "é", "€", "😀", "\u{2028}", "<", "&"]
        return String((0..<Int.random(in: 0...24, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined())
    }

    static func encoded(_ value: some Encodable) throws -> [UInt8] { Array(try encoder.encode(value)) }

    @Test(arguments: awkward) func aStringIsEscapedAsJSONEncoderEscapesIt(_ text: String) throws {
        var json = JSONWriter()
        json.string(text)
        #expect(json.bytes == (try Self.encoded(text)))
    }

    @Test func randomStringsAreEscapedAsJSONEncoderEscapesThem() throws {
        var random = SeededGenerator(seed: 11)
        for _ in 0..<2_000 {
            let text = Self.randomText(&random)
            var json = JSONWriter()
            json.string(text)
            #expect(json.bytes == (try Self.encoded(text)), "\(text.debugDescription)")
        }
    }

    /// Instants around New York's and Lord Howe's offset changes (a half-hour shift), optionals
    /// present and absent, every status, awkward notes.
    @Test func anAppointmentIsWrittenAsJSONEncoderWritesIt() throws {
        var random = SeededGenerator(seed: 12)
        let zones = ["America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"].map { ShopTime(identifier: $0)! }
        let transitions: [Int64] = [1_710_054_000, 1_730_613_600, 1_712_415_600, 1_727_539_200]
        for round in 0..<1_000 {
            let time = zones[round % zones.count]
            let start = Instant(seconds: transitions.randomElement(using: &random)! + Int64.random(in: -7_200...7_200, using: &random))
            let appointment = Appointment(
                id: Int.random(in: 1...Int.max, using: &random), barberID: Int.random(in: 1...500, using: &random),
                clientID: Int.random(in: 1...1_000_000, using: &random), serviceID: Int.random(in: 1...40, using: &random),
                start: start, end: start.adding(seconds: 1_800), status: AppointmentStatus.allCases.randomElement(using: &random)!,
                priceCents: Int.random(in: 0...100_000, using: &random),
                notes: Bool.random(using: &random) ? Self.randomText(&random) : nil,
                createdAt: Instant(seconds: Int64.random(in: 0...2_000_000_000, using: &random)),
                cancelReason: Bool.random(using: &random) ? Self.randomText(&random) : nil)
            #expect(Array(AppointmentJSON.data(appointment, time)) == (try Self.encoded(AppointmentJSON(appointment, time))))

            let event = Event(
                sequence: Int64(round), type: [.appointmentCreated, .appointmentCancelled].randomElement(using: &random)!,
                createdAt: appointment.createdAt, payload: .appointment(appointment))
            #expect(Array(EventJSON.encode(event, time)) == Array(EventJSON.encoded(EventJSON(event, time))))
        }
    }

    @Test func meIsWrittenAsJSONEncoderWritesIt() throws {
        var random = SeededGenerator(seed: 13)
        for _ in 0..<500 {
            let user = User(
                id: Int.random(in: 1...Int.max, using: &random), email: Self.randomText(&random), name: Self.randomText(&random),
                role: [Role.client, .barber, .admin].randomElement(using: &random)!,
                phone: Bool.random(using: &random) ? Self.randomText(&random) : nil, passwordHash: "x")
            #expect(Array(UserJSON.buffer(user).readableBytesView) == (try Self.encoded(UserJSON(user))))
        }
    }

    static let versions: [String] = ["1.0.0", #"2.1-dev "quoted"/x"#, ""]
    static let uptimes: [Int64] = [0, 59, 86_400 * 400]

    @Test(arguments: versions, uptimes)
    func healthIsWrittenAsJSONEncoderWritesIt(version: String, uptime: Int64) throws {
        let health = APIRoutes.Health(version: version, uptime_seconds: uptime)
        #expect(Array(health.buffer.readableBytesView) == (try Self.encoded(health)))
    }
}

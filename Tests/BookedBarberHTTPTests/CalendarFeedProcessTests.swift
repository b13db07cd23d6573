import Testing

extension RealProcessTests {
    /// Tests/Python/feeds against the real process: feeds parsed by the `icalendar` library.
    @Suite struct CalendarFeedProcessTests {
        @Test func calendarFeedsParseWithTheIcalendarLibrary() async throws {
            let (status, output) = try await PythonSuite.run("feeds")
            #expect(status == 0, "pytest Tests/Python/feeds failed:\n\(output)")
        }
    }
}

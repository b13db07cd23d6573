import Testing

extension RealProcessTests {
    /// Tests/Python/mail against the real process: msmtp hands every mail to an aiosmtpd server,
    /// where Python's email package and the icalendar library read the confirmation, the notices
    /// of a move and a cancellation and a reminder; a failing sendmail retried; nothing lost or
    /// repeated across kill -9; clear start-up errors for bad mail settings.
    @Suite struct MailProcessTests {
        @Test func mailReachesARealSMTPServerThroughMsmtp() async throws {
            let (status, output) = try await PythonSuite.run("mail")
            #expect(status == 0, "pytest Tests/Python/mail failed:\n\(output)")
        }
    }
}

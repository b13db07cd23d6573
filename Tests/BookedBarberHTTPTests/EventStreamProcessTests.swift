import Testing

extension RealProcessTests {
    /// Tests/Python/stream against the real process: the live event stream (Server-Sent Events).
    @Suite struct EventStreamProcessTests {
        @Test func eventStreamDeliversBookingsPerRoleWithResumeAndHeartbeats() async throws {
            let (status, output) = try await PythonSuite.run("stream")
            #expect(status == 0, "pytest Tests/Python/stream failed:\n\(output)")
        }
    }
}

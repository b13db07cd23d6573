import Foundation
import Testing

extension RealProcessTests {
    /// The pages in a real browser: `Tests/Python/web` drives headless Chromium with Selenium
    /// against the real server binary (booking, `/me`, the barber's live page, the admin's
    /// schedule edit, CSRF, the inert XSS name, keyboard-only booking, console errors, budgets).
    /// `BOOKEDBARBER_SCREENSHOTS=1` also writes `docs/screenshots/`.
    @Suite struct WebBrowserSuiteTests {
        @Test func theBrowserSuitePasses() async throws {
            let (status, output) = try await PythonSuite.run("web")
            #expect(status == 0, "pytest Tests/Python/web failed:\n\(output)")
        }
    }
}

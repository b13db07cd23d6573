import Mustache
import Testing

@testable import BookedBarberHTTP

/// The booking path's page models answer every template lookup themselves (`MustacheParent`,
/// PageModels+Mustache.swift) exactly as swift-mustache's `Mirror` fallback would: each stored
/// property under its own name with its value, nothing for other names, and every model nested in
/// them does the same.
@Suite struct PageModelLookupTests {
    static let field = WebRoutes.ConfirmModel.Field(value: "v", error: "e", hasError: true)
    static let link = WebRoutes.BookModel.TimeLink(href: "/book?x", label: "10:00", barberName: "Ana", showBarber: true)
    static let frame = PageFrame(
        title: "t", shopName: "s", stylesheet: "/a.css", icon: "/i.svg", scripts: [.init(src: "/x.js")], signedIn: true,
        userName: "u", isClient: true, isBarber: false, isAdmin: false, csrf: "c", onBook: true, onMe: false, onBarber: false,
        onAdmin: false, onLogin: false, isStaff: false, onClients: false, onAnalytics: false, onQueue: false)

    static let book = WebRoutes.BookModel(
        frame: frame, services: [.init(id: 1, name: "Cut", duration: "30 min", price: "€20", checked: true)],
        barbers: [.init(value: "2", name: "Ana", selected: false)], anySelected: true,
        days: [.init(value: "2026-12-01", label: "Tue 1", hasRoom: true, checked: true, roomText: "free times")],
        dayLabel: "Tuesday", groups: [.init(label: "Morning", times: [link])], noTimes: false, noServices: false,
        timeZone: "Europe/Berlin", showWaitlist: true,
        waitlist: WebRoutes.WaitlistFormModel(
            csrf: "c", services: [.init(value: "1", name: "Cut", selected: true)], barbers: [], anySelected: true,
            today: "2026-12-01", service: field, barber: field, dateFrom: field, dateTo: field, timeFrom: field, timeTo: field),
        waitlistSignIn: "/login", holdMinutes: "15 min")

    static let confirm = WebRoutes.ConfirmModel(
        frame: frame, serviceID: 1, barberID: 2, start: "2026-12-01T10:00:00+01:00", anyBarber: false, serviceName: "Cut",
        barberName: "Ana", day: "Tuesday", time: "10:00", duration: "30 min", price: "€20", signedIn: false, userName: "",
        problem: "taken", hasProblem: true, alternatives: [link], hasAlternatives: true, notes: field, loginEmail: field,
        loginPassword: field, name: field, email: field, phone: field, password: field, backHref: "/")

    @Test func everyFieldOfEveryBookingPathModelIsAnsweredAsTheMirrorWould() {
        var checked: Set<String> = []
        Self.check(Self.book, at: "BookModel", checked: &checked)
        Self.check(Self.confirm, at: "ConfirmModel", checked: &checked)
        #expect(checked.count == 12, "all twelve model types were reached: \(checked.sorted())")
    }

    @Test func aMissingValueIsNilAsForTheMirror() {
        var book = Self.book
        book.waitlist = nil
        #expect(book.child(named: "waitlist") == nil)
        #expect(book.child(named: "frame") != nil)
    }

    /// Walks `value` as the templates see it: structs must answer each field, collections and
    /// optionals are looked into.
    static func check(_ value: Any, at path: String, checked: inout Set<String>) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .collection?, .optional?:
            for child in mirror.children { check(child.value, at: path, checked: &checked) }
        case .struct?:
            guard let parent = value as? any MustacheParent else {
                Issue.record("\(path): \(type(of: value)) is read through Mirror")
                return
            }
            checked.insert(String(reflecting: type(of: value)))
            for child in mirror.children {
                let label = child.label ?? ""
                let expected = Mirror(reflecting: child.value).displayStyle == .optional
                    ? Mirror(reflecting: child.value).children.first.map { String(describing: $0.value) }
                    : String(describing: child.value)
                #expect(parent.child(named: label).map { String(describing: $0) } == expected, "\(path).\(label)")
                check(child.value, at: "\(path).\(label)", checked: &checked)
            }
            #expect(parent.child(named: "noSuchField") == nil, "\(path)")
        default:
            return
        }
    }
}

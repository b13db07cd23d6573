import BookingCore
import BookingEngine
import Foundation
import HTTPTypes
import Hummingbird

/// **Clients** (`/clients`, `/clients/:id`), for the shop's staff: the client list with search and
/// paging as `GET /api/v2/clients` gives it, and a client's record: contact, figures, appointment
/// history (newest first, in pages of `historyPageSize`) and the staff's private notes with their
/// edit form. Every read and the notes edit call the engine the API calls, so its rules apply:
/// admins and barbers only (a client gets 403), notes at most `ClientRecords.notesLimit`
/// characters, a barber sees the history with their own calendar only.
extension WebRoutes {
    static let clientPageSize = 20
    /// The appointments a record page lists at a time.
    static let historyPageSize = 30

    struct NotesForm: Decodable {
        var notes: String?
    }

    func registerClientPages(_ routes: RouteTable) {
        page(routes, .get, "/clients") { web in try await clientsPage(web) }
        page(routes, .get, "/clients/:id") { web in
            let id = try Input.pathID(web.context, "id")
            return try await clientPage(web, id: id, notes: nil, problem: nil, status: .ok)
        }
        page(routes, .post, "/clients/:id/notes") { web in
            let (requester, _) = try signedIn(web)
            let id = try Input.pathID(web.context, "id")
            let notes = try web.form(NotesForm.self).notes ?? ""
            do {
                _ = try await engine.setClientNotes(id, notes: notes, by: requester)
            } catch BookingError.validationFailed(let why) {
                return try await clientPage(web, id: id, notes: notes, problem: why, status: .unprocessableContent)
            }
            return Self.seeOther("/clients/\(id)?saved=1#notes")
        }
        // The client of an appointment on the barber's page: staff who may read the appointment
        // (its barber, an admin) are sent on to that client's record; its client gets 403.
        page(routes, .get, "/barber/appointments/:id/client") { web in
            let (requester, _) = try signedIn(web)
            let appointment = try await engine.appointment(try Input.pathID(web.context, "id"), for: requester)
            _ = try await engine.client(appointment.clientID, by: requester)
            return Self.seeOther("/clients/\(appointment.clientID)")
        }
    }

    struct ClientsModel {
        struct Row {
            var id: Int
            var name: String
            var email: String
            var phone: String
            var visits: Int
            var noShows: Int
            var value: String
            var lastVisit: String
        }
        var frame: PageFrame
        var q: String
        var rows: [Row]
        var none: Bool
        var searched: Bool
        var nextPage: String
        var hasNextPage: Bool
        var firstPage: String
        var isLaterPage: Bool
    }

    func clientsPage(_ web: WebRequest) async throws -> Response {
        let (requester, _) = try signedIn(web)
        let query = web.query("q")
        let afterID = try web.queryID("after_id")
        var found = try await engine.clients(matching: query, limit: Self.clientPageSize + 1, afterID: afterID, by: requester)
        let more = found.count > Self.clientPageSize
        if more { found.removeLast() }
        let format = format
        let base = "/clients?" + (query.map { "q=\(Self.urlComponent($0))&" } ?? "")
        let model = ClientsModel(
            frame: frame("Clients", visitor: web.visitor, section: "clients"), q: query ?? "",
            rows: found.map { record in
                .init(
                    id: record.user.id, name: record.user.name, email: record.user.email, phone: record.user.phone ?? "",
                    visits: record.stats.visits, noShows: record.stats.noShows, value: PageFormat.money(record.stats.lifetimeValueCents),
                    lastVisit: record.stats.lastVisit.map(format.date) ?? "never")
            },
            none: found.isEmpty, searched: query != nil,
            nextPage: base + "after_id=\(found.last?.user.id ?? 0)", hasNextPage: more,
            firstPage: String(base.dropLast()), isLaterPage: afterID != nil)
        return renderer.page("clients", model)
    }

    struct ClientModel {
        struct Visit {
            var id: Int
            var when: String
            var barber: String
            var service: String
            var status: String
            var statusClass: String
            var price: String
        }
        var frame: PageFrame
        var id: Int
        var name: String
        var email: String
        var phone: String
        var hasPhone: Bool
        var registered: String
        var visits: Int
        var noShows: Int
        var cancellations: Int
        var value: String
        var firstVisit: String
        var lastVisit: String
        var nextAppointment: String
        var history: [Visit]
        var noHistory: Bool
        var historyNote: String
        var newerPage: String
        var hasNewer: Bool
        var olderPage: String
        var hasOlder: Bool
        var notes: String
        var notesLimit: Int
        var problem: String
        var hasProblem: Bool
        var saved: Bool
    }

    /// A client's record; `notes` and `problem` are a refused edit shown again with its reason.
    func clientPage(_ web: WebRequest, id: UserID, notes: String?, problem: String?, status: HTTPResponse.Status) async throws
        -> Response
    {
        let (requester, _) = try signedIn(web)
        let record = try await engine.client(id, by: requester)
        let history = try await engine.history(ofClient: id, by: requester)
        let format = format
        let catalog = engine.catalog
        let barbers = Dictionary(uniqueKeysWithValues: await engine.barbers(activeOnly: false).map { ($0.id, $0.name) })
        let shown = try Self.historyPage(history, web)
        let scope = requester.role == .barber ? "with you" : "with every barber"
        let historyNote =
            shown.count < history.count
            ? "Appointments \(shown.startIndex + 1)–\(shown.endIndex) of \(history.count) \(scope), newest first."
            : "\(history.count) appointment\(history.count == 1 ? "" : "s") \(scope)."
        let here = "/clients/\(id)?"
        let stats = record.stats
        func when(_ instant: Instant?) -> String { instant.map(format.dateAndClock) ?? "none" }
        let model = ClientModel(
            frame: frame(record.user.name, visitor: web.visitor, section: "clients"), id: record.user.id, name: record.user.name,
            email: record.user.email, phone: record.user.phone ?? "", hasPhone: record.user.phone != nil,
            registered: record.registeredAt.map(format.dateAndClock) ?? "before registrations were recorded",
            visits: stats.visits, noShows: stats.noShows, cancellations: stats.cancellations,
            value: PageFormat.money(stats.lifetimeValueCents), firstVisit: when(stats.firstVisit), lastVisit: when(stats.lastVisit),
            nextAppointment: when(stats.nextAppointment),
            history: shown.map {
                .init(
                    id: $0.id, when: format.dateAndClock($0.start), barber: barbers[$0.barberID] ?? "Barber \($0.barberID)",
                    service: catalog.services[$0.serviceID]?.name ?? "", status: PageFormat.statusNames[$0.status] ?? "",
                    statusClass: $0.status.rawValue, price: PageFormat.money($0.priceCents))
            },
            noHistory: history.isEmpty, historyNote: historyNote,
            newerPage: here + "newer_than=\(shown.first?.id ?? 0)#history", hasNewer: shown.startIndex > 0,
            olderPage: here + "older_than=\(shown.last?.id ?? 0)#history", hasOlder: shown.endIndex < history.count,
            notes: notes ?? record.notes, notesLimit: ClientRecords.notesLimit,
            problem: problem ?? "", hasProblem: problem != nil, saved: problem == nil && web.query("saved") == "1")
        return renderer.page("client", model, status: status)
    }

    /// The page of `history` (newest first) the record shows: the newest `historyPageSize`, or
    /// those just after the appointment `older_than` names, or just before the one `newer_than`
    /// names (the links under the table), a full page when there are enough. The cursor is an
    /// appointment, not a position, so appointments booked meanwhile do not shift the page under
    /// the reader; a cursor left with nothing past it (a rescheduled appointment moved) shows the
    /// newest page. An id that is not in this history is 400.
    static func historyPage(_ history: [Appointment], _ web: WebRequest) throws(APIError) -> ArraySlice<Appointment> {
        func position(_ field: String) throws(APIError) -> Int? {
            guard let id = try web.queryID(field) else { return nil }
            guard let index = history.firstIndex(where: { $0.id == id }) else {
                throw .badRequest("\(field): appointment \(id) is not in this client's history")
            }
            return index
        }
        let newest = history.prefix(historyPageSize)
        var chosen = newest
        if let older = try position("older_than") {
            chosen = history[(older + 1)..<min(older + 1 + historyPageSize, history.count)]
        } else if let newer = try position("newer_than"), newer > historyPageSize {
            chosen = history[(newer - historyPageSize)..<newer]
        }
        return chosen.isEmpty ? newest : chosen
    }
}

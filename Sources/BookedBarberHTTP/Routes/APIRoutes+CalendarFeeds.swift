import BookingCore
import BookingEngine
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension APIRoutes {
    struct FeedURL: ResponseEncodable {
        var url: String
    }

    func registerCalendarFeeds(_ routes: RouteTable) {
        routes.on(.post, "/api/v2/barbers/:id/calendar-feed") { _, context in
            let requester = try context.requester()
            let token = try await engine.issueFeed(for: .barber(try Input.pathID(context, "id")), by: requester)
            return EditedResponse(status: .created, response: FeedURL(url: "/calendar/\(token).ics"))
        }

        routes.on(.post, "/api/v2/auth/me/calendar-feed") { _, context in
            let requester = try context.requester()
            let token = try await engine.issueFeed(for: .user(requester.userID), by: requester)
            return EditedResponse(status: .created, response: FeedURL(url: "/calendar/\(token).ics"))
        }

        routes.on(.get, "/calendar/:file") { request, context in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".ics"), let calendar = await engine.feed(token: String(file.dropLast(4))) else {
                throw APIError.notFound("no such calendar feed")
            }
            let text = calendar.text
            let body = ByteBuffer(string: text)
            let digest = SHA256.hash(data: Array(text.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
            let etag = "\"\(digest)\""
            var headers: HTTPFields = [.eTag: etag, .cacheControl: "private, max-age=0, must-revalidate"]
            if let match = request.headers[.ifNoneMatch],
                match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0 == "*" })
            {
                return Response(status: .notModified, headers: headers)
            }
            headers[.contentType] = "text/calendar; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        }
    }
}

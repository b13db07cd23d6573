import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// Renders the pages: swift-mustache templates from `Resources/web/templates/` (one per page and
/// the shared `head` and `foot` partials), loaded once at start. Mustache's `{{value}}` escapes
/// `& < > " '`, which makes any value safe in element text and in quoted attributes; the one
/// unescaped form, `{{{json}}}`, is only used for `PageJSON`, escaped for a `<script>` block.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let assets: WebAssets

    /// The policy of every page: scripts, styles and fetches only from this server, no inline
    /// script or style, no framing, forms only to this server.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    static func load(assets: WebAssets) async throws -> PageRenderer {
        guard let directory = Bundle.module.url(forResource: "web", withExtension: nil)?.appendingPathComponent("templates") else {
            preconditionFailure("web templates are missing from the BookedBarberHTTP resources")
        }
        return PageRenderer(library: try await MustacheLibrary(directory: directory.path), assets: assets)
    }

    /// `template` rendered with `model` as an HTML answer that no cache keeps (pages show a
    /// visitor's own appointments).
    func page(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        guard let html = library.render(model, withTemplate: template) else {
            preconditionFailure("web template \(template) is missing from Resources/web/templates")
        }
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-store",
                .contentSecurityPolicy: Self.contentSecurityPolicy,
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// A value rendered as JSON inside a `<script type="application/json">` block: `<`, `>` and `&`
/// become `\u003c`, `\u003e` and `\u0026`, so no user value can close the block or open a tag;
/// the page's script reads it with `JSON.parse`.
struct PageJSON {
    let text: String

    init(_ value: some Encodable) {
        let data = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        var escaped = ""
        for character in String(decoding: data, as: UTF8.self) {
            switch character {
            case "<": escaped += "\\u003c"
            case ">": escaped += "\\u003e"
            case "&": escaped += "\\u0026"
            case "\u{2028}": escaped += "\\u2028"
            case "\u{2029}": escaped += "\\u2029"
            default: escaped.append(character)
            }
        }
        text = escaped
    }
}

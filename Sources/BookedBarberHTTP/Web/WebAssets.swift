import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The CSS and JavaScript of the pages (`Resources/web/static/`), read once at start and served
/// from memory under fingerprinted names: `app.css` is `/static/app.<hash>.css`, where `<hash>`
/// is the start of the file's SHA-256. A changed file gets a new name, so a browser may keep each
/// one forever (`Cache-Control: immutable`); its `ETag` answers `If-None-Match` with 304.
struct WebAssets: Sendable {
    struct Asset: Sendable {
        var path: String
        var contentType: String
        var bytes: ByteBuffer
        var etag: String
    }

    /// Assets by served path.
    private let byPath: [String: Asset]
    /// Served paths by file name (`app.css`).
    private let pathByName: [String: String]

    init(directory: URL) throws {
        var byPath: [String: Asset] = [:]
        var pathByName: [String: String] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        for name in names {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            let fingerprint = String(digest.prefix(12))
            let stem = (name as NSString).deletingPathExtension
            let ext = (name as NSString).pathExtension
            guard let type = Self.contentTypes[ext] else { continue }
            let path = "/static/\(stem).\(fingerprint).\(ext)"
            byPath[path] = Asset(path: path, contentType: type, bytes: ByteBuffer(bytes: data), etag: "\"\(fingerprint)\"")
            pathByName[name] = path
        }
        self.byPath = byPath
        self.pathByName = pathByName
    }

    /// The files of `Resources/web/static` in this module's bundle.
    static func load() throws -> WebAssets {
        guard let directory = Bundle.module.url(forResource: "web", withExtension: nil)?.appendingPathComponent("static") else {
            preconditionFailure("web assets are missing from the BookedBarberHTTP resources")
        }
        return try WebAssets(directory: directory)
    }

    static let contentTypes = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]

    /// The served path of `name`; a template naming a file that is not there is a bug.
    func path(_ name: String) -> String {
        guard let path = pathByName[name] else { preconditionFailure("web asset \(name) is missing from Resources/web/static") }
        return path
    }

    func asset(at path: String) -> Asset? { byPath[path] }

    /// Every asset, for the size budget checks.
    var all: [Asset] { byPath.values.sorted { $0.path < $1.path } }
}

extension WebAssets {
    /// The answer to `GET` and `HEAD /static/…` (`RequestPipeline` asks before the admission
    /// checks); nil for every other request, which goes on to the router. Served before the
    /// routes rather than as routes, as Hummingbird's `FileMiddleware` does: the names change
    /// with the files, and they are not part of the API the OpenAPI document describes.
    func answer(_ request: Request) throws(APIError) -> Response? {
        guard request.method == .get || request.method == .head, request.uri.path.hasPrefix("/static/") else { return nil }
        guard let asset = asset(at: request.uri.path) else { throw APIError.notFound("no such file") }
        var headers: HTTPFields = [
            .contentType: asset.contentType,
            .eTag: asset.etag,
            .cacheControl: "public, max-age=31536000, immutable",
        ]
        let tags = request.headers[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        if tags.contains(asset.etag) || tags.contains("*") {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(asset.bytes.readableBytes)
        return Response(status: .ok, headers: headers, body: request.method == .head ? .init() : .init(byteBuffer: asset.bytes))
    }
}

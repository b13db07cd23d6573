import Foundation
import HTTPTypes
import Hummingbird
import Testing

@testable import BookedBarberHTTP

/// `GET /openapi.json` (public): the OpenAPI 3.1 document of the whole API, kept in the repository as
/// `Sources/BookedBarberHTTP/Resources/openapi.json`. It must describe exactly the routes the router
/// registers: every registered (method, path) is documented and every documented one is registered.
@Suite struct OpenAPIDocumentTests {
    /// The operation keys a Path Item Object may hold.
    static let operationKeys: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    @Test func theDocumentIsServedPubliclyAsOpenAPI31() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let response = try await api.send(.get, "/openapi.json")
            try #require(response.status == .ok, "\(response.raw.prefix(300))")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let version = try #require(response["openapi"] as? String, "no openapi field")
            #expect(version.hasPrefix("3.1."), "openapi is \(version)")
            let info = response["info"] as? [String: Any]
            #expect(info?["title"] as? String != nil && info?["version"] as? String != nil)
            #expect((response["paths"] as? [String: Any])?.isEmpty == false)
            let components = response["components"] as? [String: Any]
            let schemes = components?["securitySchemes"] as? [String: [String: Any]]
            #expect(schemes?.values.contains { $0["type"] as? String == "http" && $0["scheme"] as? String == "bearer" } == true)

            // What the server answers is the file kept in the repository.
            let kept = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.repositoryDocument))
            let keptCanonical = String(decoding: try JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys]), as: UTF8.self)
            #expect(keptCanonical == response.canonical, "the served document differs from \(Self.repositoryDocument.path)")
        }
    }

    @Test func everyRegisteredRouteIsDocumentedAndEveryDocumentedOperationIsRegistered() async throws {
        let harness = try await APIHarness.make()
        let registered = Set(harness.app.buildRouter().routes.map { Operation($0.method.rawValue, $0.path) })
        try #require(!registered.isEmpty)
        let documented = try await harness.run { api in
            let response = try await api.send(.get, "/openapi.json")
            try #require(response.status == .ok, "\(response.raw.prefix(300))")
            return try Self.operations(in: response.object)
        }
        for operation in registered.subtracting(documented).sorted() {
            Issue.record("\(operation) is registered but not in the OpenAPI document")
        }
        for operation in documented.subtracting(registered).sorted() {
            Issue.record("\(operation) is in the OpenAPI document but not registered")
        }
    }

    /// Path parameters that are not ids: a calendar feed's file name (`<token>.ics`) and an event id (`evt_12`).
    static let textParameters: Set<String> = ["file", "eventId"]

    @Test func everyPathTemplateParameterIsDeclaredAsAPositiveInteger() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.repositoryDocument)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        for (path, item) in paths {
            let names = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            for (method, operation) in item where Self.operationKeys.contains(method) {
                let parameters = ((operation as? [String: Any])?["parameters"] as? [[String: Any]] ?? [])
                    + (item["parameters"] as? [[String: Any]] ?? [])
                let declared = parameters.filter { $0["in"] as? String == "path" }
                #expect(Set(declared.compactMap { $0["name"] as? String }) == names, "\(method.uppercased()) \(path)")
                for parameter in declared {
                    if let name = parameter["name"] as? String, Self.textParameters.contains(name) {
                        #expect((parameter["schema"] as? [String: Any])?["type"] as? String == "string", "\(path) \(name)")
                        continue
                    }
                    let schema = parameter["schema"] as? [String: Any]
                    #expect(schema?["type"] as? String == "integer", "\(method.uppercased()) \(path) \(parameter)")
                    #expect(schema?["minimum"] as? Int == 1, "\(method.uppercased()) \(path) \(parameter)")
                }
            }
        }
    }

    /// A (method, path) with parameter names blanked: the router's `:id` and OpenAPI's `{id}` both become `{}`.
    struct Operation: Hashable, Comparable, CustomStringConvertible {
        var method: String
        var shape: String

        init(_ method: String, _ path: String) {
            self.method = method.uppercased()
            self.shape = path.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") || ($0.hasPrefix("{") && $0.hasSuffix("}")) ? "{}" : String($0) }
                .joined(separator: "/")
        }

        var description: String { "\(method) \(shape)" }
        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.shape, lhs.method) < (rhs.shape, rhs.method) }
    }

    /// Every (method, path) the document's `paths` describe.
    static func operations(in document: [String: Any]) throws -> Set<Operation> {
        let paths = try #require(document["paths"] as? [String: [String: Any]], "the document has no paths object")
        var operations: Set<Operation> = []
        for (path, item) in paths {
            for method in item.keys where operationKeys.contains(method) {
                operations.insert(Operation(method, path))
            }
        }
        return operations
    }

    /// `Sources/BookedBarberHTTP/Resources/openapi.json` in this checkout.
    static var repositoryDocument: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/BookedBarberHTTP/Resources/openapi.json")
    }
}

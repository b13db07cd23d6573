import Foundation

/// The OpenAPI 3.1 document of the whole API, kept in the repository as
/// `Sources/BookedBarberHTTP/Resources/openapi.json` and served at `/openapi.json`.
/// `OpenAPIDocumentTests` checks that it and the router describe the same routes.
enum OpenAPIDocument {
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url)
        else { preconditionFailure("openapi.json is missing from the BookedBarberHTTP resources") }
        return Array(data)
    }()
}

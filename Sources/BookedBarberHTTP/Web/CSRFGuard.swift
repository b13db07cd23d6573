import Crypto
import Foundation

/// The CSRF tokens of the pages: a token is the HMAC-SHA256 of the visitor's session (the
/// `bb_session` token, or before sign-in the random `bb_visitor` value) under a key derived from
/// the server's token secret. A page puts it in a hidden `csrf` field of every form that changes
/// state; a request whose token does not match its own cookies is refused with 403. Another site
/// can make a browser send the cookies, but cannot read them or a page, so it cannot know the token.
struct CSRFGuard: Sendable {
    private let key: SymmetricKey

    init(secret: [UInt8]) {
        let derived = HMAC<SHA256>.authenticationCode(for: Array("bookedbarber web csrf v1".utf8), using: SymmetricKey(data: secret))
        key = SymmetricKey(data: Data(derived))
    }

    func token(for session: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Array(session.utf8), using: key)).base64URL
    }

    /// Whether `token` is the one `session` gets; compared in constant time.
    func accepts(_ token: String?, for session: String) -> Bool {
        guard let token, let code = Data(base64URL: token) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Array(session.utf8), using: key)
    }
}

extension Data {
    /// Base64url without padding (RFC 4648 §5): safe in form fields, cookies and URLs.
    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init?(base64URL text: String) {
        guard text.utf8.allSatisfy({ $0 == 0x2D || $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}

/// An email address that can be written into a header as it is: an ASCII `local@domain` whose
/// local part is a dot-atom (RFC 5322 atext and dots) and whose domain is dot-separated labels of
/// letters, digits and hyphens.
///
/// Anything else is refused rather than quoted: `sendmail -t` takes the recipients from the
/// headers, so an address with a comma, angle brackets, quotes, spaces or line breaks could add
/// recipients or headers of its own. Accounts may hold such an address (the account rules are
/// looser); mail to it is skipped.
public struct MailAddress: Hashable, Sendable, CustomStringConvertible {
    public let localPart: String
    public let domain: String

    public init?(_ text: String) {
        guard text.utf8.count <= 254, let at = text.lastIndex(of: "@") else { return nil }
        let local = text[..<at]
        let domain = text[text.index(after: at)...]
        guard Self.isDotAtom(local), Self.isHostName(domain) else { return nil }
        self.localPart = String(local)
        self.domain = String(domain)
    }

    public var description: String { localPart + "@" + domain }

    static let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".utf8)

    static func isDotAtom(_ text: Substring) -> Bool {
        let atoms = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return text.utf8.count <= 64 && atoms.allSatisfy { atom in !atom.isEmpty && atom.allSatisfy(atext.contains) }
    }

    static func isHostName(_ text: Substring) -> Bool {
        let labels = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                && label.allSatisfy { byte in
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                }
        }
    }
}

import Foundation

/// An email as a sendmail-compatible program reads it: RFC 5322 headers and a MIME body, a
/// `multipart/mixed` of a `multipart/alternative` (text/plain and text/html, UTF-8, base64) and
/// an optional attachment (the `.ics` invitation), built from values alone (no clock, no I/O).
///
/// Safe with any user text: every header value has its control characters (CR and LF among
/// them) turned into spaces before it is written, so no value can end its header or start
/// another; values that are not printable ASCII are RFC 2047 encoded-words; display names that
/// are are quoted strings. Addresses are `MailAddress`, which admits nothing that needs quoting.
/// Bodies are base64, so no body line can look like a boundary or exceed the line limit, and the
/// boundaries contain `=_`, which base64 never does.
public struct MailMessage: Hashable, Sendable {
    public struct Mailbox: Hashable, Sendable {
        public var name: String
        public var address: MailAddress

        public init(name: String, address: MailAddress) {
            self.name = name
            self.address = address
        }
    }

    public struct Attachment: Hashable, Sendable {
        /// The media type with its parameters, e.g. `text/calendar; charset=UTF-8; method=REQUEST`.
        public var contentType: String
        /// An ASCII file name without quotes or control characters, e.g. `appointment.ics`.
        public var filename: String
        public var bytes: [UInt8]

        public init(contentType: String, filename: String, bytes: [UInt8]) {
            self.contentType = contentType
            self.filename = filename
            self.bytes = bytes
        }
    }

    public var from: Mailbox
    public var to: Mailbox
    public var subject: String
    public var date: Instant
    /// The `Message-ID` without its angle brackets: `local@domain`, both dot-atoms.
    public var messageID: String
    public var text: String
    public var html: String
    public var attachment: Attachment?

    public init(
        from: Mailbox, to: Mailbox, subject: String, date: Instant, messageID: String, text: String, html: String,
        attachment: Attachment?
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.text = text
        self.html = html
        self.attachment = attachment
    }

    static let mixedBoundary = "=_BookedBarber_mixed"
    static let alternativeBoundary = "=_BookedBarber_alternative"

    /// The whole message with `lineEnding` after every line: CRLF is the form of RFC 5322;
    /// a sendmail program on Unix reads LF ("\n") and writes CRLF on the wire itself.
    public func rendered(lineEnding: String = "\r\n") -> String {
        var lines = [
            Self.header("From", Self.mailbox(from)),
            Self.header("To", Self.mailbox(to)),
            Self.header("Subject", Self.unstructured(subject)),
            Self.header("Date", Self.date(date)),
            Self.header("Message-ID", "<" + Self.clean(messageID).filter { $0 != " " && $0 != "<" && $0 != ">" } + ">"),
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "Content-Type: multipart/mixed; boundary=\"\(Self.mixedBoundary)\"",
            "",
            "--" + Self.mixedBoundary,
            "Content-Type: multipart/alternative; boundary=\"\(Self.alternativeBoundary)\"",
            "",
        ]
        lines += Self.part(contentType: "text/plain; charset=UTF-8", bytes: Array(text.utf8), boundary: Self.alternativeBoundary)
        lines += Self.part(contentType: "text/html; charset=UTF-8", bytes: Array(html.utf8), boundary: Self.alternativeBoundary)
        lines += ["--" + Self.alternativeBoundary + "--", ""]
        if let attachment {
            let name = Self.clean(attachment.filename).filter { $0.isASCII && $0 != "\"" && $0 != "\\" }
            lines += Self.part(
                contentType: Self.clean(attachment.contentType), bytes: attachment.bytes, boundary: Self.mixedBoundary,
                disposition: "attachment; filename=\"\(name)\"")
        }
        lines.append("--" + Self.mixedBoundary + "--")
        return lines.map { $0 + lineEnding }.joined()
            .replacingOccurrences(of: Self.fold, with: lineEnding + " ")
    }

    /// Marks where a header value may fold; `rendered` replaces it by a line end and a space. It
    /// cannot come from a value: `clean` has turned every NUL of one into a space.
    static let fold = "\u{0}FOLD\u{0}"

    /// `Name: value`, on one line when that fits in 78 characters, else folded where marked.
    static func header(_ name: String, _ value: String) -> String {
        let flat = name + ": " + value.replacingOccurrences(of: fold, with: " ")
        return flat.utf8.count <= 78 ? flat : name + ": " + value
    }

    /// One body part: its headers, a blank line, the bytes in base64 lines of 76 characters.
    static func part(contentType: String, bytes: [UInt8], boundary: String, disposition: String? = nil) -> [String] {
        var lines = ["--" + boundary, "Content-Type: " + contentType, "Content-Transfer-Encoding: base64"]
        if let disposition { lines.append("Content-Disposition: " + disposition) }
        lines.append("")
        let encoded = Data(bytes).base64EncodedString()
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        lines.append("")
        return lines
    }

    /// `text` with every control character (CR, LF, TAB, DEL, C1 and the Unicode line and
    /// paragraph separators among them) replaced by a space.
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" ? " " : scalar
        }))
    }

    static func isPlainASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }

    /// `"Name" <address>`: the name a quoted string when it is printable ASCII, else encoded-words.
    static func mailbox(_ mailbox: Mailbox) -> String {
        let name = clean(mailbox.name).trimmingCharacters(in: .whitespaces)
        let address = "<\(mailbox.address)>"
        if name.isEmpty { return address }
        if isPlainASCII(name) && !name.contains("=?") {
            let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(quoted)\"" + fold + address
        }
        return encodedWords(name) + fold + address
    }

    /// An unstructured value (a subject): as it is when printable ASCII (folded at spaces to keep
    /// lines near 78 characters), else RFC 2047 encoded-words.
    static func unstructured(_ value: String) -> String {
        let text = clean(value)
        guard isPlainASCII(text), !text.contains("=?"), !text.split(separator: " ").contains(where: { $0.count > 900 }) else {
            return encodedWords(text)
        }
        var result = ""
        var width = "Subject: ".count
        for (index, word) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index > 0 {
                if width + 1 + word.count > 78 {
                    result += fold
                    width = 1
                } else {
                    result += " "
                    width += 1
                }
            }
            result += word
            width += word.count
        }
        return result
    }

    /// RFC 2047 "B" encoded-words of UTF-8, each at most 68 characters and never splitting a
    /// character, separated by folds (white space between encoded-words is not displayed).
    static func encodedWords(_ text: String) -> String {
        var words: [[UInt8]] = []
        var chunk: [UInt8] = []
        // 42 bytes are 56 base64 characters: with `=?UTF-8?B?` and `?=` 68, so even the first
        // word after `Subject: ` keeps its line within 78.
        for character in text {
            let bytes = Array(character.utf8)
            if chunk.count + bytes.count > 42 && !chunk.isEmpty {
                words.append(chunk)
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0).base64EncodedString() + "?=" }.joined(separator: fold)
    }

    /// RFC 5322 `Tue, 01 Dec 2026 12:00:00 +0000` (UTC).
    static func date(_ instant: Instant) -> String {
        let days = Int(RFC3339.floorDiv(instant.seconds, 86_400))
        let day = CivilDate(daysSinceEpoch: days)
        let rest = Int(instant.seconds - Int64(days) * 86_400)
        let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][Weekday.allCases.firstIndex(of: day.weekday)!]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][day.month - 1]
        return "\(weekday), \(RFC3339.pad(day.day, 2)) \(month) \(day.year) "
            + "\(RFC3339.pad(rest / 3600, 2)):\(RFC3339.pad(rest / 60 % 60, 2)):\(RFC3339.pad(rest % 60, 2)) +0000"
    }
}

import BookingCore

extension ServerConfiguration {
    /// Email to clients through a sendmail-compatible command (msmtp, Postfix's or Exim's
    /// `sendmail`): off unless `command` is set.
    public struct Mail: Sendable {
        /// The program and its arguments (`--sendmail`, split by `splitCommandLine`); nil: mail is off.
        public var command: [String]?
        /// The sender (`--mail-from`); also the host of every `Message-ID`. Required with `command`.
        public var from: MailAddress?
        /// When reminders are due (`--reminders`, default 24 h and 2 h before the start).
        public var reminders = ReminderSchedule(offsets: [24 * 3600, 2 * 3600])
        /// Waits before each retry of a failed hand-off (non-zero exit, timeout); the last repeats
        /// until the appointment starts, when the mail is skipped. Each wait gets ±20 % jitter.
        public var retryDelays: [Duration] = [.seconds(10), .seconds(60), .seconds(300), .seconds(1800), .seconds(3600)]
        /// One run of the command that takes longer is killed and counts as failed.
        public var timeout: Duration = .seconds(30)
        /// Most runs of the command at once.
        public var maxConcurrentHandoffs = 4
        public init() {}
    }

    /// Splits a command line into words the way a POSIX shell splits words, without a shell and
    /// without any expansion: blanks separate words; `'…'` keeps everything literally; `"…"`
    /// keeps everything but `\` before `"`, `\`, `$` or a backquote; `\` outside quotes keeps the
    /// next character. Nil for an unterminated quote, a trailing `\`, or no words at all.
    public static func splitCommandLine(_ line: String) -> [String]? {
        var words: [String] = []
        var word = ""
        var inWord = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            switch character {
            case " ", "\t", "\n":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "'":
                inWord = true
                var closed = false
                while let next = characters.next() {
                    if next == "'" {
                        closed = true
                        break
                    }
                    word.append(next)
                }
                guard closed else { return nil }
            case "\"":
                inWord = true
                var closed = false
                while let next = characters.next() {
                    if next == "\"" {
                        closed = true
                        break
                    }
                    if next == "\\" {
                        guard let escaped = characters.next() else { return nil }
                        if !"\"\\$`".contains(escaped) { word.append("\\") }
                        word.append(escaped)
                    } else {
                        word.append(next)
                    }
                }
                guard closed else { return nil }
            case "\\":
                guard let escaped = characters.next() else { return nil }
                inWord = true
                word.append(escaped)
            default:
                inWord = true
                word.append(character)
            }
        }
        if inWord { words.append(word) }
        return words.isEmpty ? nil : words
    }
}

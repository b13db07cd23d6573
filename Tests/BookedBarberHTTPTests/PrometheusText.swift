/// A strict parser of the Prometheus text exposition format (version 0.0.4), for checking what
/// `GET /metrics` renders: every line is a `# HELP`, a `# TYPE`, another comment or a sample;
/// every sample belongs to a family whose TYPE came first; label values are quoted with the
/// format's escapes; histogram buckets are cumulative and end with `+Inf` equal to `_count`.
/// Any violation throws, naming the line.
struct PrometheusText {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    private(set) var types: [String: String] = [:]
    private(set) var help: [String: String] = [:]
    private(set) var samples: [Sample] = []

    init(_ text: String) throws {
        var seen = Set<String>()
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                try parseComment(String(line), line: number)
                continue
            }
            let sample = try Self.parseSample(String(line), line: number)
            guard let family = family(of: sample.name) else {
                throw ParseError(line: number, reason: "sample \(sample.name) has no TYPE before it")
            }
            if types[family] == "histogram", sample.name != family {
                guard ["_bucket", "_sum", "_count"].contains(where: { sample.name == family + $0 }) else {
                    throw ParseError(line: number, reason: "\(sample.name) is not a histogram series of \(family)")
                }
            }
            let key = sample.name + "{" + sample.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            guard seen.insert(key).inserted else { throw ParseError(line: number, reason: "duplicate sample \(key)") }
            samples.append(sample)
        }
        try checkHistograms()
    }

    /// The value of the sample `name` with exactly `labels`, if there is one.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// Every sample named `name`.
    func samples(named name: String) -> [Sample] { samples.filter { $0.name == name } }

    private func family(of name: String) -> String? {
        if types[name] != nil { return name }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" || types[base] == "summary" { return base }
        }
        return nil
    }

    private mutating func parseComment(_ line: String, line number: Int) throws {
        let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, parts[0] == "#", parts[1] == "TYPE" || parts[1] == "HELP" else { return }  // a plain comment
        let name = parts[2]
        guard Self.isMetricName(name) else { throw ParseError(line: number, reason: "bad metric name \(name)") }
        if parts[1] == "TYPE" {
            let type = parts.count == 4 ? parts[3] : ""
            guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(type) else {
                throw ParseError(line: number, reason: "unknown type \(type)")
            }
            guard types[name] == nil else { throw ParseError(line: number, reason: "second TYPE for \(name)") }
            guard !samples.contains(where: { family(of: $0.name) == name || $0.name == name }) else {
                throw ParseError(line: number, reason: "TYPE of \(name) after its samples")
            }
            types[name] = type
        } else {
            help[name] = parts.count == 4 ? parts[3] : ""
        }
    }

    private static func parseSample(_ line: String, line number: Int) throws -> Sample {
        var scalars = Substring(line)
        let name = String(scalars.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        guard isMetricName(name) else { throw ParseError(line: number, reason: "bad metric name in \(line)") }
        scalars = scalars.dropFirst(name.count)
        var labels: [String: String] = [:]
        if scalars.first == "{" {
            scalars = scalars.dropFirst()
            while scalars.first != "}" {
                let label = String(scalars.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                guard let first = label.first, first.isLetter || first == "_" else {
                    throw ParseError(line: number, reason: "bad label name in \(line)")
                }
                scalars = scalars.dropFirst(label.count)
                guard scalars.hasPrefix("=\"") else { throw ParseError(line: number, reason: "label without =\" in \(line)") }
                scalars = scalars.dropFirst(2)
                var value = ""
                while true {
                    guard let character = scalars.popFirst() else { throw ParseError(line: number, reason: "unterminated label value") }
                    if character == "\"" { break }
                    if character == "\\" {
                        switch scalars.popFirst() {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw ParseError(line: number, reason: "bad escape in \(line)")
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard labels.updateValue(value, forKey: label) == nil else {
                    throw ParseError(line: number, reason: "label \(label) twice in \(line)")
                }
                if scalars.first == "," { scalars = scalars.dropFirst() } else if scalars.first != "}" {
                    throw ParseError(line: number, reason: "expected , or } in \(line)")
                }
            }
            scalars = scalars.dropFirst()
        }
        guard scalars.first == " " else { throw ParseError(line: number, reason: "no space before the value in \(line)") }
        let fields = scalars.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 1 || (fields.count == 2 && Int64(fields[1]) != nil) else {
            throw ParseError(line: number, reason: "expected a value and an optional timestamp in \(line)")
        }
        guard let value = parseValue(String(fields[0])) else { throw ParseError(line: number, reason: "bad value in \(line)") }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func parseValue(_ text: String) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }

    private static func isMetricName(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_" || first == ":" else { return false }
        return name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == ":" }
    }

    /// Buckets of each histogram series are cumulative, end at +Inf, and +Inf equals `_count`.
    private func checkHistograms() throws {
        for (family, type) in types where type == "histogram" {
            var series: [[String: String]: [(le: Double, count: Double)]] = [:]
            for sample in samples(named: family + "_bucket") {
                var labels = sample.labels
                guard let le = labels.removeValue(forKey: "le"), let bound = Self.parseValue(le) else {
                    throw ParseError(line: 0, reason: "\(family)_bucket without a numeric le")
                }
                series[labels, default: []].append((bound, sample.value))
            }
            for (labels, buckets) in series {
                let ordered = buckets.sorted { $0.le < $1.le }
                guard ordered.last?.le == .infinity else { throw ParseError(line: 0, reason: "\(family) \(labels) has no +Inf bucket") }
                for (lower, upper) in zip(ordered, ordered.dropFirst()) where upper.count < lower.count {
                    throw ParseError(line: 0, reason: "\(family) \(labels) buckets are not cumulative")
                }
                guard value(family + "_count", labels) == ordered.last?.count else {
                    throw ParseError(line: 0, reason: "\(family) \(labels): +Inf bucket differs from _count")
                }
                guard value(family + "_sum", labels) != nil else { throw ParseError(line: 0, reason: "\(family) \(labels) has no _sum") }
            }
        }
    }
}

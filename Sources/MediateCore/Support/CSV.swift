/// A CSV syntax error, with the 1-based physical line where the bad record starts.
public struct CSVError: Error, Equatable, Sendable {
    public enum Problem: Equatable, Sendable {
        case quoteInsideUnquotedField
        case unclosedQuote(openedOnLine: Int)
        case textAfterClosingQuote
    }

    public let line: Int
    public let problem: Problem

    public init(line: Int, problem: Problem) {
        self.line = line
        self.problem = problem
    }
}

/// Reading and writing comma-separated values (RFC 4180).
public enum CSV {
    /// Parses UTF-8 text into records with the physical line each starts on.
    ///
    /// Accepts LF and CRLF line ends, a final line end or none, and a UTF-8
    /// byte order mark at the start (dropped). Quoted fields may contain
    /// commas, line ends and `""` for a quote. Blank lines are skipped.
    public static func parse(_ text: String) throws(CSVError) -> [(line: Int, fields: [String])] {
        var reader = Reader(Array(text.utf8))
        var records: [(line: Int, fields: [String])] = []
        while let record = try reader.nextRecord() {
            records.append(record)
        }
        return records
    }

    /// One field, quoted only when needed: when it contains a comma, quote,
    /// CR or LF, or starts or ends with a space.
    public static func field(_ value: String) -> String {
        let bytes = value.utf8
        let needsQuotes =
            bytes.first == .space || bytes.last == .space
            || bytes.contains { $0 == .comma || $0 == .quote || $0 == .cr || $0 == .lf }
        guard needsQuotes else { return value }
        var quoted: [UInt8] = [.quote]
        for byte in bytes {
            quoted.append(byte)
            if byte == .quote { quoted.append(.quote) }
        }
        quoted.append(.quote)
        return String(decoding: quoted, as: UTF8.self)
    }

    /// One record: the fields joined with commas and ended with CRLF.
    ///
    /// A record of one empty field is written as `""` so that it does not
    /// read back as a blank line.
    public static func record(_ fields: [String]) -> String {
        if fields == [""] { return "\"\"\r\n" }
        return fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// A record for a spreadsheet to open: a cell that a spreadsheet would run as a
    /// formula (starting with =, +, -, @, a tab or a carriage return) is written with a
    /// leading apostrophe, so that it shows as the text it is (OWASP's CSV injection
    /// advice). Numbers are written by the program and never start so.
    public static func safeRecord(_ fields: [String]) -> String {
        record(fields.map { f in f.first.map { "=+-@\t\r".contains($0) } == true ? "'" + f : f })
    }
}

extension CSV {
    private struct Reader {
        private let bytes: [UInt8]
        private var index: Int
        /// The physical line `index` is on.
        private var line = 1

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            self.index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        }

        mutating func nextRecord() throws(CSVError) -> (line: Int, fields: [String])? {
            while skipLineEnd() {}
            guard index < bytes.count else { return nil }
            let start = line
            var fields: [String] = []
            while true {
                fields.append(try readField(recordLine: start))
                if index < bytes.count, bytes[index] == .comma {
                    index += 1
                } else {
                    _ = skipLineEnd()
                    return (start, fields)
                }
            }
        }

        /// Reads one field and stops at a comma, a line end or the end of text.
        private mutating func readField(recordLine: Int) throws(CSVError) -> String {
            guard index < bytes.count, bytes[index] == .quote else {
                let start = index
                while index < bytes.count, bytes[index] != .comma, !atLineEnd {
                    if bytes[index] == .quote {
                        throw CSVError(line: recordLine, problem: .quoteInsideUnquotedField)
                    }
                    index += 1
                }
                return String(decoding: bytes[start..<index], as: UTF8.self)
            }
            let fieldLine = line
            index += 1
            var value: [UInt8] = []
            while true {
                guard index < bytes.count else {
                    throw CSVError(line: recordLine, problem: .unclosedQuote(openedOnLine: fieldLine))
                }
                let byte = bytes[index]
                index += 1
                if byte == .quote {
                    guard index < bytes.count, bytes[index] == .quote else { break }
                    index += 1
                } else if byte == .lf {
                    line += 1
                }
                value.append(byte)
            }
            guard index == bytes.count || bytes[index] == .comma || atLineEnd else {
                throw CSVError(line: recordLine, problem: .textAfterClosingQuote)
            }
            return String(decoding: value, as: UTF8.self)
        }

        private var atLineEnd: Bool {
            bytes[index] == .lf
                || (bytes[index] == .cr && index + 1 < bytes.count && bytes[index + 1] == .lf)
        }

        /// Skips one LF or CRLF at `index`, if there is one.
        private mutating func skipLineEnd() -> Bool {
            guard index < bytes.count, atLineEnd else { return false }
            index += bytes[index] == .cr ? 2 : 1
            line += 1
            return true
        }
    }
}

extension UInt8 {
    fileprivate static let lf = UInt8(ascii: "\n")
    fileprivate static let cr = UInt8(ascii: "\r")
    fileprivate static let space = UInt8(ascii: " ")
    fileprivate static let comma = UInt8(ascii: ",")
    fileprivate static let quote = UInt8(ascii: "\"")
}

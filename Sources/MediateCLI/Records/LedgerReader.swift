#if canImport(Glibc)
    import Glibc
#endif

/// Reads a ledger as spreadsheets save it, a block at a time: UTF-8 with or without a
/// byte order mark, or GB18030 (detected, or named); CRLF or LF; quoted fields with
/// commas, quotes and line ends. Yields records with the line each starts on.
final class LedgerReader {
    enum Failure: Error, Equatable {
        /// Bytes that are not text in the encoding, on this line.
        case notText(line: Int, TextEncoding)
        case unclosedQuote(line: Int)
        case readFailed
    }

    private let file: UnsafeMutablePointer<FILE>
    private(set) var encoding: TextEncoding = .utf8
    private var converter: Iconv?
    private var carry: [UInt8] = []
    /// Decoded UTF-8 not yet parsed.
    private var pending: [UInt8] = []
    private var index = 0
    private var atEOF = false
    private var line = 1

    init(_ path: String, encoding named: TextEncoding?) throws {
        switch Files.kind(path) {
        case .missing: throw Problem.noSuchFile(path)
        case .directory, .other: throw Problem.notAFile(path, .csvFile)
        case .regular: break
        }
        guard let f = fopen(path, "rb") else { throw Problem.cannotRead(path) }
        file = f
        var first = read()
        if first.starts(with: [0xEF, 0xBB, 0xBF]) {
            first.removeFirst(3)
            encoding = named ?? .utf8
        } else if first.starts(with: [0x84, 0x31, 0x95, 0x33]) {
            first.removeFirst(4)
            encoding = named ?? .gb18030
        } else if let named {
            encoding = named
        } else {
            encoding = Self.looksLikeUTF8(first) ? .utf8 : .gb18030
        }
        if encoding == .gb18030 { converter = try Iconv(from: "GB18030", to: "UTF-8") }
        try take(first)
    }

    deinit { fclose(file) }

    /// Whether a block is UTF-8, allowing a character cut at its end.
    static func looksLikeUTF8(_ bytes: [UInt8]) -> Bool {
        var cut = bytes[...]
        // Drop up to three bytes of a last character the block cut in two.
        for _ in 0..<3 where String(validating: cut, as: UTF8.self) == nil && !cut.isEmpty { cut = cut.dropLast() }
        return String(validating: cut, as: UTF8.self) != nil
    }

    private func read() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let n = fread(&buffer, 1, buffer.count, file)
        if n < buffer.count { atEOF = true }
        return Array(buffer[0..<n])
    }

    /// Appends a block, converted to UTF-8.
    private func take(_ block: [UInt8]) throws {
        if let converter {
            guard let utf8 = converter.convert(block, rest: &carry) else {
                throw Failure.notText(line: line + countLines(pending[index...]), .gb18030)
            }
            if atEOF && !carry.isEmpty { throw Failure.notText(line: line, .gb18030) }
            compact()
            pending += utf8
        } else {
            compact()
            pending += block
        }
    }

    private func compact() {
        if index > 0 {
            pending.removeFirst(index)
            index = 0
        }
    }

    private func countLines(_ bytes: ArraySlice<UInt8>) -> Int { bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }

    /// The next byte, reading another block when needed; nil at the end.
    private func peek() throws -> UInt8? {
        while index >= pending.count {
            if atEOF { return nil }
            try take(read())
            if ferror(file) != 0 { throw Failure.readFailed }
        }
        return pending[index]
    }

    /// The next record: its first line and its fields; nil at the end. Blank lines are skipped.
    func next() throws -> (line: Int, fields: [String])? {
        while true {
            guard let first = try peek() else { return nil }
            if first == 10 || first == 13 {
                index += 1
                if first == 10 { line += 1 }
                continue
            }
            break
        }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        func finishField() throws {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw Failure.notText(line: line, encoding)
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        while true {
            guard let b = try peek() else {
                if quoted { throw Failure.unclosedQuote(line: start) }
                try finishField()
                return (start, fields)
            }
            index += 1
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if try peek() == UInt8(ascii: "\"") {
                        index += 1
                        field.append(b)
                    } else {
                        quoted = false
                    }
                } else if b == 13 {
                    // A line break inside a cell is LF, however the file ends its lines.
                    if try peek() == 10 { index += 1 }
                    line += 1
                    field.append(10)
                } else {
                    if b == 10 { line += 1 }
                    field.append(b)
                }
                continue
            }
            switch b {
            case UInt8(ascii: ","):
                try finishField()
            case UInt8(ascii: "\"") where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            case 13:
                if try peek() == 10 { index += 1 }
                line += 1
                try finishField()
                return (start, fields)
            case 10:
                line += 1
                try finishField()
                return (start, fields)
            default:
                field.append(b)
            }
        }
    }
}

extension String {
    /// The number of terminal columns this text takes.
    ///
    /// East Asian Wide and Fullwidth characters and emoji take two columns;
    /// control characters, combining marks and format characters (such as
    /// zero-width joiners and variation selectors) take none; everything
    /// else takes one. A grapheme cluster takes at most two columns, and two
    /// when it asks for emoji presentation (U+FE0F).
    public var displayWidth: Int {
        if let width = Self.simpleWidth(utf8) { return width }
        var total = 0
        for character in self { total += Self.width(of: character) }
        return total
    }

    /// At most `width` display columns of this text: cut, with `mark` after it, when it
    /// is wider. Measured once: each character's width is added as the cut is found.
    public func clipped(toWidth width: Int, mark: String = "…") -> String {
        let room = width - mark.displayWidth
        var used = 0
        var cut: String.Index? = nil
        var index = startIndex
        // One walk: remember where the text passes `room`, and stop once it passes `width`.
        if Self.simpleWidth(utf8) != nil {
            // Every scalar is its own character here (see `simpleWidth`).
            for scalar in unicodeScalars {
                let w = scalar.value < 0x80 ? 1 : 2
                if cut == nil && used + w > room { cut = index }
                used += w
                if used > width { return String(self[..<cut!]) + mark }
                index = unicodeScalars.index(after: index)
            }
            return self
        }
        for character in self {
            let w = Self.width(of: character)
            if cut == nil && used + w > room { cut = index }
            used += w
            if used > width { return String(self[..<(cut ?? index)]) + mark }
            index = self.index(after: index)
        }
        return self
    }

    /// The columns of one grapheme cluster: at most two, and two when it asks for emoji
    /// presentation (U+FE0F).
    private static func width(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        var width = 0
        var emoji = false
        for scalar in scalars {
            width += columns(scalar)
            if scalar == "\u{FE0F}" { emoji = true }
        }
        return width > 0 && emoji ? 2 : Swift.min(width, 2)
    }

    /// The width of text made only of printable ASCII and the common CJK blocks (CJK
    /// symbols and punctuation, ideographs, fullwidth forms), the text of nearly every
    /// case: there each scalar is a character of its own (none of them joins another in
    /// a grapheme cluster) and takes one column, or two. Nil for any other text, which is
    /// measured character by character.
    private static func simpleWidth(_ bytes: String.UTF8View) -> Int? {
        let width: Int?? = bytes.withContiguousStorageIfAvailable { buffer in
            var total = 0
            var i = 0
            let count = buffer.count
            while i < count {
                let b = buffer[i]
                if b < 0x80 {
                    guard b >= 0x20 && b < 0x7F else { return nil }
                    total += 1
                    i += 1
                    continue
                }
                // Three-byte sequences only: U+0800...U+FFFF.
                guard b & 0xF0 == 0xE0, i + 2 < count else { return nil }
                let value = UInt32(b & 0x0F) << 12 | UInt32(buffer[i + 1] & 0x3F) << 6 | UInt32(buffer[i + 2] & 0x3F)
                guard isSimpleWide(value) else { return nil }
                total += 2
                i += 3
            }
            return total
        }
        return width ?? nil
    }

    /// CJK scalars that are wide, never combining and never joined to a neighbour:
    /// U+3000–U+3029 and U+3030–U+303E (symbols and punctuation, without the tone marks
    /// U+302A–U+302F), U+3400–U+4DBF and U+4E00–U+9FFF (ideographs), U+FF01–U+FF60
    /// (fullwidth forms).
    private static func isSimpleWide(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) || (0xFF01...0xFF60).contains(value)
            || (0x3000...0x3029).contains(value) || (0x3030...0x303E).contains(value)
    }

    private static func columns(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        if value < 0x7F { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        return scalar.properties.isEmojiPresentation || isWide(value) ? 2 : 1
    }

    /// Whether `value` is in `wideRanges`, by binary search.
    private static func isWide(_ value: UInt32) -> Bool {
        var low = 0
        var high = wideRanges.count
        while low < high {
            let middle = (low + high) / 2
            if value > wideRanges[middle].upperBound {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low < wideRanges.count && wideRanges[low].contains(value)
    }

    /// East Asian Wide (W) and Fullwidth (F) code points, sorted: assigned ones
    /// from Unicode 14 with unassigned gaps between them merged, plus the CJK
    /// ranges whose unassigned code points default to W.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x3247, 0x3250...0x4DBF, 0x4E00...0xA4C6, 0xA960...0xA97C,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6B, 0xFF01...0xFF60,
        0xFFE0...0xFFE6, 0x16FE0...0x1B2FB, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E,
        0x1F191...0x1F19A, 0x1F200...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C,
        0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0,
        0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC,
        0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A,
        0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5,
        0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6DF, 0x1F6EB...0x1F6EC,
        0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945,
        0x1F947...0x1F9FF, 0x1FA70...0x1FAF6, 0x20000...0x3FFFD,
    ]
}

/// A plain-text table with columns aligned by display width.
///
///     var table = TextTable(headers: ["网格", "户数"], alignments: [.left, .right])
///     table.add(["东湖社区 G03", "12"])
///     print(table.rendered(), terminator: "")
public struct TextTable: Sendable {
    public enum Alignment: Sendable {
        case left, right
    }

    private enum Line: Sendable {
        case cells([String])
        case rule
    }

    private let headers: [String]
    private let alignments: [Alignment]
    private var lines: [Line] = []

    /// Creates an empty table; there must be one alignment per header.
    public init(headers: [String], alignments: [Alignment]) {
        precondition(headers.count == alignments.count, "TextTable needs one alignment per header")
        self.headers = headers
        self.alignments = alignments
    }

    /// Appends a row; it must have one cell per header.
    public mutating func add(_ row: [String]) {
        precondition(row.count == headers.count, "TextTable row needs one cell per header")
        lines.append(.cells(row))
    }

    /// Appends a rule line.
    public mutating func addSeparator() {
        lines.append(.rule)
    }

    /// The table as text: the headers, a rule of `-` under each column, then
    /// the rows. Columns are separated by two spaces and padded to their
    /// widest cell; no line has trailing spaces; every line ends with "\n".
    public func rendered() -> String { String(decoding: renderedUTF8(), as: UTF8.self) }

    /// `rendered()` as its UTF-8, which is made of Strings' and needs no check to print.
    public func renderedUTF8() -> [UInt8] {
        // Each cell measured once.
        let columns = headers.count
        let headerWidths = headers.map(\.displayWidth)
        var widths = headerWidths
        var cellWidths: [Int] = []
        cellWidths.reserveCapacity(lines.count * columns)
        var bytes = 0
        for case .cells(let cells) in lines {
            for column in 0..<columns {
                let width = cells[column].displayWidth
                cellWidths.append(width)
                widths[column] = max(widths[column], width)
                bytes += cells[column].utf8.count
            }
        }
        // Written as UTF-8 bytes into one buffer.
        var text: [UInt8] = []
        text.reserveCapacity(bytes + (widths.reduce(0, +) + 2 * columns + 1) * (lines.count + 2))
        format(headers, headerWidths[...], widths: widths, into: &text)
        let ruleStart = text.count
        format(widths.map { String(repeating: "-", count: $0) }, widths[...], widths: widths, into: &text)
        let rule = Array(text[ruleStart...])
        var row = 0
        for line in lines {
            switch line {
            case .cells(let cells):
                format(cells, cellWidths[row * columns..<(row + 1) * columns], widths: widths, into: &text)
                row += 1
            case .rule: text += rule
            }
        }
        return text
    }

    private func format(_ cells: [String], _ cellWidths: ArraySlice<Int>, widths: [Int], into text: inout [UInt8]) {
        let start = text.count
        let first = cellWidths.startIndex
        for (column, cell) in cells.enumerated() {
            if column > 0 {
                text.append(0x20)
                text.append(0x20)
            }
            let padding = widths[column] - cellWidths[first + column]
            if alignments[column] == .right { text += repeatElement(0x20, count: padding) }
            text.append(utf8Of: cell)
            // The last column's padding would only be trimmed again.
            if alignments[column] == .left && column < cells.count - 1 { text += repeatElement(0x20, count: padding) }
        }
        while text.count > start && text.last == 0x20 { text.removeLast() }
        text.append(0x0A)
    }
}

extension Array where Element == UInt8 {
    /// Appends the UTF-8 of `text`: its bytes in place, copied at once (a String built
    /// by appending Strings costs more, each append, than these bytes made a String once).
    public mutating func append(utf8Of text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) == nil { append(contentsOf: text.utf8) }
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// Where an export writes, as it goes: a new file (`--output`), the process's standard
/// output, or (in-process runs) the outcome's stdout. Bytes are buffered and written
/// in blocks, so memory stays bounded whatever the size of the database.
final class Output {
    private var buffer: [UInt8] = []
    private var file: UnsafeMutablePointer<FILE>?
    private let path: String?
    private let stream: (@Sendable ([UInt8]) -> Bool)?
    private let context: Context
    private let encoder: Iconv?
    private(set) var failed = false

    /// `path` must not exist yet: an export never overwrites a file.
    init(_ c: Context, path: String?, encoding: TextEncoding = .utf8) throws {
        context = c
        self.path = path
        stream = c.invocation.streamOutput
        encoder = encoding == .utf8 ? nil : try Iconv(from: "UTF-8", to: encoding.iconvName)
        if let path {
            guard Files.kind(path) == .missing else { throw RecordsProblem.outputExists(path) }
            guard let f = fopen(path, "wx") else { throw RecordsProblem.cannotWrite(path) }
            file = f
        }
    }

    func write(_ text: String) { write(Array(text.utf8)) }

    func write(_ bytes: [UInt8]) {
        if let encoder {
            guard let converted = encoder.convert(bytes) else {
                failed = true
                return
            }
            buffer += converted
        } else {
            buffer += bytes
        }
        // Written a mebibyte at a time: few, large writes.
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Bytes as they are, never converted (a byte-order mark).
    func writeRaw(_ bytes: [UInt8]) { buffer += bytes }

    func flush() {
        guard !buffer.isEmpty, !failed else { return }
        if let file {
            if fwrite(buffer, 1, buffer.count, file) != buffer.count { failed = true }
        } else if let stream {
            if !stream(buffer) { failed = true }
        } else {
            context.write(String(decoding: buffer, as: UTF8.self))
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes; throws when anything failed to be written.
    func finish() throws {
        flush()
        if let file {
            if fflush(file) != 0 || fsync(fileno(file)) != 0 { failed = true }
            fclose(file)
            self.file = nil
        }
        if failed {
            if let path { unlink(path) }
            throw RecordsProblem.writeFailed(path)
        }
    }

    /// Closes and removes a half-written file after an error.
    func abandon() {
        if let file {
            fclose(file)
            self.file = nil
            if let path { unlink(path) }
        }
    }
}

/// The encodings a ledger is read or written in.
enum TextEncoding: String, Vocabulary {
    case utf8 = "utf-8"
    case gb18030

    var zh: String {
        switch self {
        case .utf8: "UTF-8"
        case .gb18030: "GB18030"
        }
    }
    var en: String { zh }
    static var aliases: [String: TextEncoding] {
        ["utf8": .utf8, "UTF8": .utf8, "gbk": .gb18030, "GBK": .gb18030, "gb2312": .gb18030, "GB2312": .gb18030]
    }

    var iconvName: String {
        switch self {
        case .utf8: "UTF-8"
        case .gb18030: "GB18030"
        }
    }
}

/// glibc's iconv, for the GB18030 that Chinese spreadsheets save by default.
final class Iconv {
    private let handle: iconv_t

    init(from: String, to: String) throws {
        let h = iconv_open(to, from)
        guard let h, Int(bitPattern: h) != -1 else { throw RecordsProblem.noConverter(to == "UTF-8" ? from : to) }
        handle = h
    }

    deinit { iconv_close(handle) }

    /// Converts `input`; bytes at the end that start a character but do not finish it
    /// are left in `rest` for the next call. Nil when the input is not in the encoding.
    func convert(_ input: [UInt8], rest: inout [UInt8]) -> [UInt8]? {
        var source = rest + input
        rest = []
        var out = [UInt8](repeating: 0, count: source.count * 2 + 16)
        var produced = 0
        var consumed = 0
        while consumed < source.count {
            let result: (Int, Int, Int32) = source.withUnsafeMutableBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(src.baseAddress! + consumed)
                        .assumingMemoryBound(to: CChar.self)
                    var inLeft = src.count - consumed
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(dst.baseAddress! + produced)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = dst.count - produced
                    let r = iconv(handle, &inPtr, &inLeft, &outPtr, &outLeft)
                    let e = r == -1 ? errno : 0
                    return (src.count - consumed - inLeft, dst.count - produced - outLeft, e)
                }
            }
            consumed += result.0
            produced += result.1
            switch result.2 {
            case 0: break
            case E2BIG: out += [UInt8](repeating: 0, count: out.count)
            case EINVAL:
                rest = Array(source[consumed...])
                consumed = source.count
            default:
                return nil
            }
        }
        source.removeAll()
        return Array(out[0..<produced])
    }

    /// Converts complete text.
    func convert(_ input: [UInt8]) -> [UInt8]? {
        var rest: [UInt8] = []
        let out = convert(input, rest: &rest)
        return rest.isEmpty ? out : nil
    }
}

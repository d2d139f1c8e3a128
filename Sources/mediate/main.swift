import MediateCLI

#if canImport(Glibc)
    import Glibc
#endif

// Residents' phone and ID numbers are in every file mediate writes (the database, its
// side files, backups): readable by the owner only, or, installed setgid to mediate's
// group, by the owner and that group (which ordinary users are not members of).
umask(getegid() != getgid() ? 0o007 : 0o077)
// A write past the file-size limit (ulimit -f) would kill the process with SIGXFSZ and
// no word; ignored, the write fails with EFBIG and the user reads the disk-full sentence.
signal(SIGXFSZ, SIG_IGN)

var invocation = Invocation(
    arguments: Array(CommandLine.arguments.dropFirst()), environment: environment(),
    readInput: { readAll(fd: 0, atMost: $0) })
invocation.streamOutput = { writeAll(fd: 1, $0) }
// Called by a path (`.build/debug/mediate` from Scripts/demo): print that path, since
// `mediate` may not be on the PATH yet.
// Text lists fit the terminal; into a pipe or a file they keep their full text.
invocation.terminalWidth = {
    guard isatty(1) == 1 else { return nil }
    var size = winsize()
    guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
}
if let called = CommandLine.arguments.first, called.contains("/") { invocation.program = called }
let outcome = CLI.run(invocation)
_ = writeAll(fd: 1, outcome.output)
writeAll(fd: 2, outcome.stderr)
exit(outcome.status)

func environment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    // Split at the first '=' as bytes: the environment is read on every run, and a
    // String's search by Character costs more than the rest of a `--version`.
    while let entry = pointer.pointee {
        let length = strlen(entry)
        entry.withMemoryRebound(to: UInt8.self, capacity: length) { start in
            let bytes = UnsafeBufferPointer(start: start, count: length)
            if let eq = bytes.firstIndex(of: UInt8(ascii: "=")) {
                result[String(decoding: bytes[..<eq], as: UTF8.self)] = String(
                    decoding: bytes[(eq + 1)...], as: UTF8.self)
            }
        }
        pointer += 1
    }
    return result
}

/// Reads up to `atMost` bytes: a caller that gets exactly that many knows there was more.
func readAll(fd: Int32, atMost limit: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while bytes.count < limit {
        let n = read(fd, &buffer, min(buffer.count, limit - bytes.count))
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return bytes }
        bytes += buffer[0..<n]
    }
    return bytes
}

func writeAll(fd: Int32, _ text: String) {
    _ = writeAll(fd: fd, Array(text.utf8))
}

/// Writes every byte, retrying after a signal; false when the output is gone (a closed
/// pipe, a full disk).
func writeAll(fd: Int32, _ data: [UInt8]) -> Bool {
    var bytes = data[...]
    while !bytes.isEmpty {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        bytes = bytes.dropFirst(n)
    }
    return true
}

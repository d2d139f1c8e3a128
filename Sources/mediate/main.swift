import MediateCLI

#if canImport(Glibc)
    import Glibc
#endif

let outcome = CLI.run(
    Invocation(
        arguments: Array(CommandLine.arguments.dropFirst()), environment: environment(),
        readInput: { readAll(fd: 0) }))
writeAll(fd: 1, outcome.stdout)
writeAll(fd: 2, outcome.stderr)
exit(outcome.status)

func environment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let eq = text.firstIndex(of: "=") { result[String(text[..<eq])] = String(text[text.index(after: eq)...]) }
        pointer += 1
    }
    return result
}

func readAll(fd: Int32) -> [UInt8] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = read(fd, &buffer, buffer.count)
        if n <= 0 { return bytes }
        bytes += buffer[0..<n]
    }
}

func writeAll(fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n <= 0 { return }
        bytes = bytes.dropFirst(n)
    }
}

import Foundation
import MediateCore
import Testing

@Suite struct SHA256Tests {
    /// FIPS 180-4 example messages.
    @Test(arguments: [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func fipsVector(message: String, digest: String) {
        #expect(SHA256.hex(SHA256.hash(Array(message.utf8))) == digest)
        var hasher = SHA256()
        hasher.update(message)
        #expect(SHA256.hex(hasher.finalize()) == digest)
    }

    @Test func oneMillionA() {
        let digest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        // Not contiguous: hashed byte by byte.
        #expect(SHA256.hex(SHA256.hash(repeatElement(UInt8(ascii: "a"), count: 1_000_000))) == digest)
        // Contiguous, in chunks that straddle block boundaries.
        var hasher = SHA256()
        let chunk = String(repeating: "a", count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(SHA256.hex(hasher.finalize()) == digest)
    }

    @Test func updateSplitAtEveryOffset() {
        let input = (0..<130).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let expected = SHA256.hash(input)
        for split in 0...input.count {
            var contiguous = SHA256()
            contiguous.update(input[..<split])
            contiguous.update(input[split...])
            #expect(contiguous.finalize() == expected, "split at \(split)")

            var mixed = SHA256()
            mixed.update(input[..<split])
            mixed.update(input[split...].lazy.map { $0 })
            #expect(mixed.finalize() == expected, "split at \(split), second part byte by byte")
        }
    }

    @Test func finalizeResets() {
        var hasher = SHA256()
        hasher.update("something else")
        _ = hasher.finalize()
        hasher.update("abc")
        #expect(hasher.finalize() == SHA256.hash(Array("abc".utf8)))
    }

    @Test func hex() {
        #expect(SHA256.hex([]) == "")
        #expect(SHA256.hex([0x00, 0x0F, 0xA0, 0xFF]) == "000fa0ff")
    }

    @Test func matchesSystemSHA256Sum() throws {
        let tool = "/usr/bin/sha256sum"
        // Without the tool there is nothing to compare with; the FIPS vectors still apply.
        guard FileManager.default.isExecutableFile(atPath: tool) else { return }

        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mediate-sha256-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var random = SplitMix64(seed: 20_240_601)
        for index in 0..<20 {
            let count = Int(random.next() % 301)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let file = directory.appendingPathComponent("input-\(index)")
            try Data(bytes).write(to: file)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = [file.path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let printed = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()

            let expected = String(decoding: printed.prefix(64), as: UTF8.self)
            #expect(SHA256.hex(SHA256.hash(bytes)) == expected, "input \(index): \(count) bytes")
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a seeded generator, so failures reproduce.
private struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

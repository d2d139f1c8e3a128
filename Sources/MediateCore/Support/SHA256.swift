/// An incremental SHA-256 hasher (FIPS 180-4).
///
///     var hasher = SHA256()
///     hasher.update("abc")
///     let digest = hasher.finalize()   // 32 bytes
///
/// Made for many short messages (verify hashes every event of the chain): the state,
/// the pending block and the message schedule live inline, so hashing allocates
/// nothing but the digest it returns.
public struct SHA256: Sendable {
    /// The eight working words H0...H7.
    private var state = State()
    /// Bytes not yet hashed, at the front of a 64-byte block.
    private var block = Block()
    /// How many bytes of `block` are pending; always fewer than 64.
    private var pending = 0
    /// Total bytes passed to `update`, modulo 2^64.
    private var length: UInt64 = 0

    private struct State {
        var a: UInt32 = 0x6a09_e667, b: UInt32 = 0xbb67_ae85, c: UInt32 = 0x3c6e_f372, d: UInt32 = 0xa54f_f53a
        var e: UInt32 = 0x510e_527f, f: UInt32 = 0x9b05_688c, g: UInt32 = 0x1f83_d9ab, h: UInt32 = 0x5be0_cd19
    }

    /// 64 bytes inline.
    private struct Block {
        var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    }

    /// Creates a hasher with no input.
    public init() {}

    /// Adds bytes to the message.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable {
            absorb(UnsafeRawBufferPointer($0))
        }
        guard done == nil else { return }
        var chunk = Block()
        var count = 0
        for byte in bytes {
            withUnsafeMutableBytes(of: &chunk) { $0[count] = byte }
            count += 1
            if count == 64 {
                withUnsafeBytes(of: chunk) { absorb($0) }
                count = 0
            }
        }
        withUnsafeBytes(of: chunk) { absorb(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
    }

    /// Adds bytes to the message (the common case, without going through `Sequence`).
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { absorb($0) }
    }

    /// Adds bytes in place (a buffer a hot path renders into), without going through `Sequence`.
    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        absorb(UnsafeRawBufferPointer(bytes))
    }

    /// Adds the UTF-8 encoding of `string` to the message.
    public mutating func update(_ string: String) {
        var string = string
        string.withUTF8 { absorb(UnsafeRawBufferPointer($0)) }
    }

    /// Returns the 32-byte digest of everything added so far.
    ///
    /// This ends the message: afterwards the hasher is reset to its initial
    /// state, so a further `update` starts a new message.
    public mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        // 0x80, zeros to 56 bytes modulo 64, the length in bits as 8 bytes big-endian.
        withUnsafeMutableBytes(of: &block) { bytes in
            bytes[pending] = 0x80
            for i in (pending + 1)..<64 { bytes[i] = 0 }
        }
        if pending >= 56 {
            withUnsafeBytes(of: block) { Self.compress(&state, $0.baseAddress!) }
            block = Block()
        }
        block.words.7 = bitLength.bigEndian
        withUnsafeBytes(of: block) { Self.compress(&state, $0.baseAddress!) }
        let s = state
        let digest = [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            func put(_ i: Int, _ word: UInt32) {
                buffer[i * 4] = UInt8(truncatingIfNeeded: word &>> 24)
                buffer[i * 4 + 1] = UInt8(truncatingIfNeeded: word &>> 16)
                buffer[i * 4 + 2] = UInt8(truncatingIfNeeded: word &>> 8)
                buffer[i * 4 + 3] = UInt8(truncatingIfNeeded: word)
            }
            put(0, s.a)
            put(1, s.b)
            put(2, s.c)
            put(3, s.d)
            put(4, s.e)
            put(5, s.f)
            put(6, s.g)
            put(7, s.h)
            count = 32
        }
        self = SHA256()
        return digest
    }

    /// The SHA-256 digest of `bytes`.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Lowercase hexadecimal text of any bytes, two digits per byte.
    public static func hex(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(digest.count * 2)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    // MARK: Blocks

    /// Hashes contiguous bytes, whole blocks straight from `bytes`.
    private mutating func absorb(_ bytes: UnsafeRawBufferPointer) {
        guard var from = bytes.baseAddress, !bytes.isEmpty else { return }
        var count = bytes.count
        length &+= UInt64(count)
        if pending > 0 {
            let taken = min(64 - pending, count)
            withUnsafeMutableBytes(of: &block) { $0.baseAddress!.advanced(by: pending).copyMemory(from: from, byteCount: taken) }
            pending += taken
            from += taken
            count -= taken
            guard pending == 64 else { return }
            withUnsafeBytes(of: block) { Self.compress(&state, $0.baseAddress!) }
            pending = 0
        }
        while count >= 64 {
            Self.compress(&state, from)
            from += 64
            count -= 64
        }
        if count > 0 {
            withUnsafeMutableBytes(of: &block) { $0.baseAddress!.copyMemory(from: from, byteCount: count) }
            pending = count
        }
    }

    /// Applies the compression function to the 64-byte block at `block`.
    private static func compress(_ state: inout State, _ block: UnsafeRawPointer) {
        roundConstants.withUnsafeBufferPointer { k in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                for t in 0..<16 {
                    w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t &* 4, as: UInt32.self))
                }
                for t in 16..<64 {
                    let x = w[t &- 15]
                    let y = w[t &- 2]
                    let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x &>> 3)
                    let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y &>> 10)
                    w[t] = w[t &- 16] &+ s0 &+ w[t &- 7] &+ s1
                }
                var (a, b, c, d) = (state.a, state.b, state.c, state.d)
                var (e, f, g, h) = (state.e, state.f, state.g, state.h)
                // Eight rounds a turn, the roles of the words rotating instead of the words.
                var t = 0
                while t < 64 {
                    round(a, b, c, &d, e, f, g, &h, k[t] &+ w[t])
                    round(h, a, b, &c, d, e, f, &g, k[t &+ 1] &+ w[t &+ 1])
                    round(g, h, a, &b, c, d, e, &f, k[t &+ 2] &+ w[t &+ 2])
                    round(f, g, h, &a, b, c, d, &e, k[t &+ 3] &+ w[t &+ 3])
                    round(e, f, g, &h, a, b, c, &d, k[t &+ 4] &+ w[t &+ 4])
                    round(d, e, f, &g, h, a, b, &c, k[t &+ 5] &+ w[t &+ 5])
                    round(c, d, e, &f, g, h, a, &b, k[t &+ 6] &+ w[t &+ 6])
                    round(b, c, d, &e, f, g, h, &a, k[t &+ 7] &+ w[t &+ 7])
                    t &+= 8
                }
                state.a &+= a
                state.b &+= b
                state.c &+= c
                state.d &+= d
                state.e &+= e
                state.f &+= f
                state.g &+= g
                state.h &+= h
            }
        }
    }

    /// One round: `d` takes T1 added, `h` becomes T1 + T2 (the new `a` of the next round).
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32,
        _ h: inout UInt32, _ kw: UInt32
    ) {
        let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ kw
        let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
        d &+= t1
        h = t1 &+ t2
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x &>> n) | (x &<< (32 &- n))
    }

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}

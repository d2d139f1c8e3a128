import MediateCore

/// The head of the chain: how many events it holds and the hash of the last one. Kept
/// outside the file (the monthly paper report, a mail, another office), it lets
/// `verify --witness` prove that the log still extends that exact history: a cut tail,
/// an older copy put back, or a chain edited and re-hashed from the start no longer
/// reaches the same hash at the same position.
public struct Witness: Sendable, Equatable {
    public let count: Int64
    /// The full SHA-256 of event `count`.
    public let hash: [UInt8]

    public init(count: Int64, hash: [UInt8]) {
        self.count = count
        self.hash = hash
    }

    /// The 16 hexadecimal digits (64 bits) printed in the witness line: too many to
    /// forge a matching chain by trying, few enough to copy by hand.
    public var short: String { String(SHA256.hex(hash).prefix(Claim.shortDigits)) }

    /// `COUNT:HASH`, as `verify --witness` takes it.
    public var text: String { "\(count):\(short)" }

    /// A witness as someone kept it: a count and the leading digits of the hash there.
    public struct Claim: Sendable, Equatable {
        public let count: Int64
        /// Lowercase hexadecimal, `shortDigits` to 64 digits.
        public let prefix: String

        static let shortDigits = 16

        /// `COUNT:HASH`: a count of at least 1 and 16 to 64 hexadecimal digits; `#` before
        /// the count and spaces around are allowed, as copied from the witness line.
        public init?(_ text: String) {
            var t = Substring(text.filter { $0 != " " })
            if t.hasPrefix("#") { t = t.dropFirst() }
            guard let colon = t.firstIndex(of: ":"), let count = Int64(t[..<colon]), count >= 1 else { return nil }
            let hex = t[t.index(after: colon)...].lowercased()
            guard (Self.shortDigits...64).contains(hex.count), hex.allSatisfy({ $0.isHexDigit }) else { return nil }
            self.count = count
            self.prefix = hex
        }

        public func matches(_ hash: [UInt8]) -> Bool { SHA256.hex(hash).hasPrefix(prefix) }
    }
}

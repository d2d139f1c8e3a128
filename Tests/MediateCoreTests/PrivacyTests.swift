import MediateCore
import Testing

@Suite struct PrivacyTests {
    /// A mobile or an ID number keeps its first three and last four; a shorter number its
    /// last two; a number not in ASCII digits is masked character by character alike.
    @Test(arguments: [
        ("13812345678", "138****5678"), ("11010519491231002X", "110***********002X"), ("87654321", "******21"),
        ("12", "12"), ("1", "1"), ("", ""), ("１３８１２３４５６７８", "１３８****５６７８"), ("８７６５", "**６５"),
    ])
    func masked(number: String, shown: String) {
        #expect(Privacy.mask(number) == shown)
    }
}

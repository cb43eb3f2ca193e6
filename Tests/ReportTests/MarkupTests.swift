import Testing
@testable import Report

@Suite("Escaping")
struct MarkupTests {
    @Test func entities() {
        #expect(Markup.escape("<|endoftext|> & \"x\" 'y'") == "&lt;|endoftext|&gt; &amp; &quot;x&quot; &#39;y&#39;")
        #expect(Markup.escape("plain text, ünïcödé 中文") == "plain text, ünïcödé 中文")
        #expect(Markup.escape("&amp;") == "&amp;amp;")
    }

    @Test func controlCharactersBecomeVisible() {
        #expect(Markup.escape("a\u{0}b") == "a\\x00b")
        #expect(Markup.escape("\u{1B}[0m") == "\\x1B[0m")
        #expect(Markup.escape("\u{7F}") == "\\x7F")
        #expect(Markup.escape("\u{85}") == "\\x85")
        #expect(Markup.escape("\u{FFFE}") == "\u{FFFD}")
        #expect(Markup.escape("tab\tnl\n") == "tab\tnl\n")
    }

    @Test func tokensShowWhitespace() {
        #expect(Markup.escapeToken(" the\n") == "\u{2423}the\u{21B5}")
        #expect(Markup.escapeToken("<s>\t") == "&lt;s&gt;\u{21E5}")
    }
}

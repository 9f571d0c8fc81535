import SequenceModels

/// HTML escaping for every piece of text the runner puts on a page.
enum HTML {
    /// `text` with `& < > " '` replaced by entities: safe in element content and quoted attributes.
    static func escape(_ text: some StringProtocol) -> String {
        String(text).xmlEscaped
    }
}

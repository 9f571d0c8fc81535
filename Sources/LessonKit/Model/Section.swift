/// One part of a lesson: the text under one `##` or `###` heading, or before the first of them.
///
/// Search indexes sections, so that a result leads to the part of the page that matched, and the page
/// gives each heading the section's anchor: both read the anchor from here.
public struct Section: Sendable, Equatable {
    /// 1 for the lesson's opening (under its `#` title), else the heading's level, 2 or 3.
    public var level: Int
    /// The heading's plain text, or the lesson's title for the opening.
    public var heading: String
    /// The heading's `id` on the page, or "" for the opening.
    public var anchor: String
    /// The section's prose and code as plain text, whitespace collapsed.
    public var text: String

    /// Anchors for `headings`, in order: lowercase letters and digits joined by hyphens, numbered from the
    /// second use on (`the-cell`, `the-cell-2`), and `section` for a heading with neither.
    public static func anchors(for headings: [String]) -> [String] {
        var used: [String: Int] = [:]
        return headings.map { heading in
            var slug = heading.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : ($0 == " " || $0 == "-" ? "-" : "") }.joined()
            slug = slug.split(separator: "-").joined(separator: "-")
            if slug.isEmpty { slug = "section" }
            used[slug, default: 0] += 1
            return used[slug]! > 1 ? slug + "-\(used[slug]!)" : slug
        }
    }
}

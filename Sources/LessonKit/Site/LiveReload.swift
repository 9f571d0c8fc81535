import Foundation

/// The handshake between `lessons serve` and the pages it serves.
///
/// Every built site carries `assets/live.js`, which does nothing. While `lessons serve` runs, that file
/// turns live reload on, and `livereload.json` holds a generation number that the server bumps after
/// each rebuild, with the rebuild's errors. The pages poll it four times a second (site.js), reload
/// where the reader was when the generation changes, and show the errors over the page.
public enum LiveReload {
    static let scriptPath = "assets/live.js"
    static let statePath = "livereload.json"
    static let inertScript = "// Live reload is off: `lessons serve` turns it on while it serves this site.\n"
    static let activeScript = "window.LESSONS_LIVE_RELOAD = true;\n"

    /// The inert script every build writes.
    static var inertFile: SiteFile { SiteFile(path: scriptPath, contents: inertScript) }

    /// Turns live reload on in `site`, at generation 0 with no errors.
    ///
    /// The script is written before the state, so whoever sees generation 0 sees live reload on.
    public static func start(site: String) throws {
        try write(activeScript, to: (site as NSString).appendingPathComponent(scriptPath))
        try publish(generation: 0, errors: [], site: site)
    }

    /// Tells open pages that the site changed: they reload, and show `errors` when there are any.
    public static func publish(generation: Int, errors: [String], site: String) throws {
        struct State: Encodable { var generation: Int; var errors: [String] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(State(generation: generation, errors: errors)), as: UTF8.self)
        try write(json + "\n", to: (site as NSString).appendingPathComponent(statePath))
    }

    /// Turns live reload off again, leaving the site as a build wrote it.
    public static func stop(site: String) {
        try? write(inertScript, to: (site as NSString).appendingPathComponent(scriptPath))
        try? FileManager.default.removeItem(atPath: (site as NSString).appendingPathComponent(statePath))
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

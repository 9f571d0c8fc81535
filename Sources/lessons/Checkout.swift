import Foundation

/// Where the course's built parts are found when no option names them, so that `lessons` works from any folder.
enum Checkout {
    /// The checkout this program was built in: the nearest folder above the executable that holds a Package.swift
    /// (the executable is `.build/…/release/lessons`, perhaps reached through a link on the PATH), or nil.
    static let root: String? = {
        var folder = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder.path }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    /// `LESSONS_CORE`, else `.build/release` here when it holds the core, else the checkout's.
    static var core: String { locate(variable: "LESSONS_CORE", relative: ".build/release", marker: "libSequenceModels.so") }

    /// `LESSONS_DATA`, else `.cache/data` here when it exists, else the checkout's.
    static var data: String { locate(variable: "LESSONS_DATA", relative: ".cache/data", marker: "") }

    static func locate(variable: String, relative: String, marker: String) -> String {
        if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty { return value }
        let fm = FileManager.default
        if fm.fileExists(atPath: relative + "/" + marker) { return relative }
        guard let root else { return relative }
        let there = root + "/" + relative
        return fm.fileExists(atPath: there + "/" + marker) ? there : relative
    }
}

import Foundation
import Testing
@testable import LessonKit

/// The toolchain's parts, found from `swiftc -print-target-info`, that build programs without the driver.
@Suite struct ToolchainTests {
    @Test func thePartsComeFromTheCompilersOwnDescription() async throws {
        let toolchain = try await Toolchain.of("swiftc")
        #expect(FileManager.default.fileExists(atPath: toolchain.swiftrt))
        for program in ["clang", "ld.lld", "swift-autolink-extract"] {
            #expect(FileManager.default.isExecutableFile(atPath: toolchain.programs + "/" + program), "\(program)")
        }
        #expect(toolchain.frontendArguments.contains(toolchain.triple))
    }

    @Test func aCompilerThatCannotDescribeItsToolchainIsAClearError() async throws {
        let script = NSTemporaryDirectory() + "swiftc-without-info-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: script) }
        try "#!/bin/sh\necho 'not a description'\n".write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        await #expect {
            _ = try await Toolchain.of(script)
        } throws: { error in
            (error as? RunnerError)?.description.contains("did not describe the toolchain") == true
        }
    }
}

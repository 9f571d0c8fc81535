// swift-tools-version:6.2
import PackageDescription

// The core's element-wise loops vectorise 8 floats wide with fused multiply-adds when built for
// Haswell (AVX2 + FMA, every x86-64 processor since 2013); the generic x86-64 target allows 4.
// The packed matrix product is written once and built twice: for AVX-512 (Skylake-SP's set: F, CD, BW,
// DQ, VL) in MatrixKernels, and for AVX2 with FMA in MatrixKernelsAVX2. The core calls the one the
// processor has, after checking; elsewhere (arm64, older x86) it uses OpenBLAS.
// `-fno-math-errno` lets square roots compile to one instruction, as they must for loops over
// them (Adam's update) to vectorise: the C library's sqrt would otherwise be kept for errno.
#if arch(x86_64)
let coreSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell", "-Xcc", "-fno-math-errno"])]
let kernelSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "skylake-avx512"])]
let avx2KernelSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let coreSettings: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-fno-math-errno"])]
let kernelSettings: [SwiftSetting] = []
let avx2KernelSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "SequenceModelsCourse",
    products: [
        // Dynamic, so that each lesson program links the release build instead of recompiling it.
        .library(name: "SequenceModels", type: .dynamic, targets: ["SequenceModels"]),
        .library(name: "LessonKit", targets: ["LessonKit"]),
        .executable(name: "lessons", targets: ["lessons"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CCMark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // The AVX2 tile in C with intrinsics: its own target attribute builds it for AVX2 and FMA on x86-64.
        .target(name: "CMatrixKernels"),
        // The packing of B, built for the core's baseline (Haswell): it runs on every x86-64 processor that packs,
        // so it must not sit in MatrixKernels, whose code may use AVX-512's instructions.
        .target(name: "MatrixPanels", swiftSettings: avx2KernelSettings),
        .target(name: "MatrixKernels", dependencies: ["CMatrixKernels", "MatrixPanels"], swiftSettings: kernelSettings),
        .target(name: "MatrixKernelsAVX2", dependencies: ["MatrixPanels", "MatrixKernels"], swiftSettings: avx2KernelSettings),
        .target(
            name: "SequenceModels",
            dependencies: ["COpenBLAS", "MatrixPanels", "MatrixKernels", "MatrixKernelsAVX2"],
            swiftSettings: coreSettings
        ),
        .target(
            name: "LessonKit",
            dependencies: [
                "CCMark",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "lessons",
            dependencies: [
                "LessonKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "bench", dependencies: ["SequenceModels", "COpenBLAS"]),
        .testTarget(name: "SequenceModelsTests", dependencies: ["SequenceModels", "MatrixPanels", "MatrixKernels", "MatrixKernelsAVX2", "CMatrixKernels"],
                    exclude: ["Fixtures"]),
        .testTarget(
            name: "LessonKitTests",
            dependencies: ["LessonKit", "lessons"],
            exclude: ["Fixtures"]
        ),
    ]
)

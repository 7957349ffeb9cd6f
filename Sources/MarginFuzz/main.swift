import FuzzChecks
import Foundation

#if MW_FUZZ
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// The target this process fuzzes, from `MW_FUZZ_TARGET` (Scripts/fuzz.sh sets it).
let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["MW_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget.all.first(where: { $0.name == name }) else {
        FileHandle.standardError.write(Data("MW_FUZZ_TARGET must be one of: \(FuzzTarget.all.map(\.name).joined(separator: ", "))\n".utf8))
        exit(64)
    }
    return target
}()

/// libFuzzer calls this with each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let why = selectedTarget.run(bytes) {
        FileHandle.standardError.write(Data("fuzz check failed: \(why)\n".utf8))
        abort()
    }
    return 0
}

// SwiftPM links this file's top-level code as the program's entry: run libFuzzer's driver from it.
_ = selectedTarget
var argumentCount = CommandLine.argc
var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argumentCount, &arguments, fuzzOneInput))
#else
// An ordinary build (no libFuzzer) only type-checks the targets; Scripts/fuzz.sh builds the real one.
FileHandle.standardError.write(Data("MarginFuzz: build and run it with Scripts/fuzz.sh (libFuzzer)\n".utf8))
exit(64)
#endif

import ArgumentParser
import Foundation
import BinanceLink
import MarginKit

// glibc raises its mmap threshold each time a large block is freed, after which the tape
// readers' 1 MB buffers come from the heap and a monitor that restarts its tapes (rewinding a
// replay) grows by a megabyte or two each time, fragmented. A fixed threshold keeps them mapped
// and returned on free: the soak test's looping replay then stays flat.
#if os(Linux)
@_silgen_name("mallopt") func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
let glibcMmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in <malloc.h>, which Swift does not import
_ = glibcMallopt(glibcMmapThreshold, 128 * 1024)
#endif

// Entry point: parse, run, and turn every failure into one line and the contract's exit code.
do {
    var command = try RootCommand.parseAsRoot()
    try command.run()
} catch let error as MarginWatchError {
    Console.fail(error.description, code: error.exitCode)
} catch let error as BinanceError {
    Console.fail(error.description, code: error.exitCode)
} catch let error as EngineError {
    Console.fail(error.description, code: 65)
} catch let code as ExitCode {
    // `--fail-on` reached (3), a recording interrupted (130): the exit code is the message.
    exit(code.rawValue)
} catch {
    let code = RootCommand.exitCode(for: error)
    if code == .success {
        print(RootCommand.fullMessage(for: error))
        exit(0)
    }
    // argument-parser's message may span lines and echoes the value it refused as typed: one
    // line, with any control character in it spelled out (never sent raw to the terminal).
    let message = RootCommand.message(for: error)
        .split(separator: "\n").map { PrintableText.escaped(String($0)) }.filter { !$0.isEmpty }.joined(separator: "; ")
    Console.fail(message + " (see marginwatch --help)", code: code.rawValue)
}

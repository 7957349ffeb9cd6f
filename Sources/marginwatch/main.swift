import ArgumentParser
import Foundation
import MarginKit

// Entry point: parse, run, and turn every failure into one line and the contract's exit code.
do {
    var command = try RootCommand.parseAsRoot()
    try command.run()
} catch let error as MarginWatchError {
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
    let message = RootCommand.message(for: error)
        .split(separator: "\n").map(String.init).filter { !$0.isEmpty }.joined(separator: "; ")
    Console.fail(message + " (see marginwatch --help)", code: code.rawValue)
}

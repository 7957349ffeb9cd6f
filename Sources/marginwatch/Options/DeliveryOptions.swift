import ArgumentParser
import Foundation
import MarginKit

/// `--on-alert`, `--notify`, `--webhook`, `--journal`, `--journal-every`: where events go
/// besides the screen or the timeline (watch, replay, replay --headless).
struct DeliveryOptions: ParsableArguments {
    @Option(name: .customLong("on-alert"),
            help: ArgumentHelp("Run PROGRAM (directly, never through a shell) for every event, with MW_* variables and the event's JSON on its standard input.",
                               valueName: "PROGRAM"),
            completion: .file())
    var onAlert: String?

    @Flag(name: .long, help: "A desktop notification for every event through notify-send (critical events urgent).")
    var notify = false

    @Option(name: .long, help: ArgumentHelp("POST every event's JSON to URL (http or https; 5 s per try, 3 retries).", valueName: "URL"))
    var webhook: String?

    @Option(name: .long, help: ArgumentHelp("Append every event and a sample of the account to FILE (JSON lines; read it with marginwatch journal).",
                                            valueName: "FILE"),
            completion: .file())
    var journal: String?

    @Option(name: .customLong("journal-every"),
            help: ArgumentHelp("Feed time between the journal's samples of the account (default 10s; only when it changed).", valueName: "D"),
            transform: DurationArgument.parsed)
    var journalEvery: DurationArgument?

    /// Checks what can be checked before anything runs: the hook exists and runs, the URL is one.
    func validate() throws {
        if let onAlert, ProgramRunner.resolve(onAlert) == nil {
            throw ValidationError("--on-alert \(onAlert): no such program, or not executable"
                + (onAlert.contains("/") ? "" : " (looked for it on PATH)"))
        }
        // A shell would read the event's JSON on its input as commands: never hand data to one.
        if let onAlert, ["sh", "bash", "dash", "zsh", "ksh", "mksh", "fish", "csh", "tcsh", "busybox"]
            .contains((onAlert as NSString).lastPathComponent) {
            throw ValidationError("--on-alert \(onAlert) is a shell: it would run the event's JSON as commands; give a script of yours")
        }
        if let webhook {
            guard let poster = WebhookPoster(webhook) else {
                throw ValidationError("--webhook \(webhook): expected an http:// or https:// URL with a host")
            }
            if poster.curlMissing {
                throw ValidationError("--webhook sends with curl, which is not installed (Debian: apt install curl)")
            }
        }
        if journalEvery != nil && journal == nil {
            throw ValidationError("--journal-every is for --journal")
        }
    }

    /// The targets; says in one line when `notify-send` is missing (notifications are off then).
    func targets(portfolio: String, warn: (String) -> Void = { Console.warn([$0]) }) -> AlertDelivery.Targets {
        var t = AlertDelivery.Targets(hook: onAlert.flatMap { ProgramRunner.resolve($0) },
                                      webhook: webhook.flatMap { WebhookPoster($0) }, portfolioName: portfolio)
        if notify {
            t.notifySend = ProgramRunner.resolve("notify-send")
            if t.notifySend == nil {
                warn("--notify: notify-send is not installed (Debian: apt install libnotify-bin); no desktop notifications")
            }
        }
        return t
    }

    /// The journal, opened for appending, with its session line written.
    /// - Throws: `MarginWatchError.cannotOpen` (exit 66) when it cannot be written.
    func openJournal(portfolio: String, feed: String, thresholds: AlertThresholds) throws -> JournalWriter? {
        guard let journal else { return nil }
        let writer = try JournalWriter(path: journal, every: journalEvery?.milliseconds ?? 10_000)
        writer.start(portfolio: portfolio, feed: feed, thresholds: thresholds, wallTime: Int64(Date().timeIntervalSince1970 * 1000))
        return writer
    }
}

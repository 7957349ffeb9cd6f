import Foundation

/// Takes every session event away from the screen: to the trader's program (`--on-alert`), a
/// desktop notification (`--notify`) and a web hook (`--webhook`).
///
/// Headless (`.inOrder`) each delivery finishes before the next event's, so a script sees every
/// event in order. In the monitor (`.background`) nothing blocks the screen or the feed: hook
/// runs are queued in order and run one at a time on a thread of their own, the web hook on
/// another; what failed is kept for the status line and the log (`takeNotices`).
public final class AlertDelivery: Sendable {
    public struct Targets: Sendable {
        /// The hook's full path (`ProgramRunner.resolve`).
        public var hook: String?
        /// `notify-send`'s full path, when notifications are on and it exists.
        public var notifySend: String?
        public var webhook: WebhookPoster?
        /// What `MW_PORTFOLIO` says.
        public var portfolioName: String
        /// A hook still running after this is killed.
        public var hookTimeout: Double = 10

        public init(hook: String? = nil, notifySend: String? = nil, webhook: WebhookPoster? = nil, portfolioName: String) {
            self.hook = hook
            self.notifySend = notifySend
            self.webhook = webhook
            self.portfolioName = portfolioName
        }

        public var isEmpty: Bool { hook == nil && notifySend == nil && webhook == nil }
    }

    public enum Mode: Sendable { case inOrder, background }

    public let targets: Targets
    private let mode: Mode
    private let hookQueue = DispatchQueue(label: "marginwatch.hooks")
    private let webhookQueue = DispatchQueue(label: "marginwatch.webhook")
    /// What the delivery threads and the caller share, behind one lock.
    private struct Shared: Sendable {
        var notices: [String] = []
        var pending = 0
        var webhookPending = 0
        var dropped = 0
    }
    private let shared = Locked(Shared())
    /// Events waiting in the monitor beyond this are dropped (and counted) rather than piling up
    /// behind a hook that hangs.
    static let queueLimit = 1_000
    /// Headless: told at once (standard error).
    private let report: @Sendable (String) -> Void

    public init(targets: Targets, mode: Mode, report: @escaping @Sendable (String) -> Void = { _ in }) {
        self.targets = targets
        self.mode = mode
        self.report = report
    }

    /// Delivers one event (see the type's note for the order and blocking).
    public func deliver(_ event: SessionEvent, thresholds: AlertThresholds, portfolio: Portfolio) {
        guard !targets.isEmpty else { return }
        let facts = EventFacts(event, thresholds: thresholds, portfolio: portfolio)
        switch mode {
        case .inOrder:
            runLocal(facts)
            if let webhook = targets.webhook, let problem = webhook.post(facts.json) {
                note("webhook \(webhook.url.host ?? ""): \(problem) (\(facts.kind) \(facts.rule.rawValue) at \(TimeText.iso(facts.time)))")
            }
        case .background:
            if targets.hook != nil || targets.notifySend != nil {
                guard enqueue() else { return }
                hookQueue.async { [self] in
                    runLocal(facts)
                    shared.withLock { $0.pending -= 1 }
                }
            }
            if let webhook = targets.webhook {
                // Bounded like the hooks: a server that hangs must not pile events up in memory.
                let accepted = shared.withLock { s -> Bool in
                    guard s.webhookPending < Self.queueLimit else { return false }
                    s.webhookPending += 1
                    return true
                }
                guard accepted else { note("webhook: an event not sent (the server is not keeping up)"); return }
                webhookQueue.async { [self] in
                    if let problem = webhook.post(facts.json) { note("webhook \(webhook.url.host ?? ""): \(problem) (\(facts.kind) \(facts.rule.rawValue) at \(TimeText.iso(facts.time)))") }
                    shared.withLock { $0.webhookPending -= 1 }
                }
            }
        }
    }

    /// What went wrong since the last call, oldest first.
    public func takeNotices() -> [String] {
        shared.withLock { s in
            defer { s.notices.removeAll() }
            return s.notices
        }
    }

    /// Waits until every queued delivery has run (tests).
    public func drain() {
        hookQueue.sync {}
        webhookQueue.sync {}
    }

    /// Waits at most `seconds` for what is queued (the monitor's exit: a hook that hangs must
    /// not hold the terminal); returns how many deliveries did not get out.
    public func drain(within seconds: Double) -> Int {
        let done = DispatchGroup()
        for queue in [hookQueue, webhookQueue] {
            done.enter()
            queue.async { done.leave() }
        }
        guard done.wait(timeout: .now() + seconds) == .timedOut else { return 0 }
        return shared.withLock { $0.pending + $0.webhookPending }
    }

    private func enqueue() -> Bool {
        shared.withLock { s in
            guard s.pending < Self.queueLimit else {
                s.dropped += 1
                // Said once per hundred, not once per event.
                if s.dropped % 100 == 1 { s.notices.append("hook: \(s.dropped) events not delivered (the hook is not keeping up)") }
                return false
            }
            s.pending += 1
            return true
        }
    }

    private func runLocal(_ facts: EventFacts) {
        if let hook = targets.hook {
            let outcome = ProgramRunner.run(hook, environment: facts.environment(portfolio: targets.portfolioName),
                                            input: facts.json + "\n", timeout: targets.hookTimeout)
            if let problem = outcome.problem {
                note("hook \((hook as NSString).lastPathComponent) \(problem) (\(facts.kind) \(facts.rule.rawValue) at \(TimeText.iso(facts.time)))")
            }
        }
        if let notifySend = targets.notifySend {
            let urgency = facts.level == .critical && facts.kind != "cleared" ? "critical" : "normal"
            let outcome = ProgramRunner.run(notifySend, arguments: ["-u", urgency, "-a", "marginwatch", "--", facts.title, facts.message],
                                            timeout: 5)
            if let problem = outcome.problem { note("notify-send \(problem)") }
        }
    }

    private func note(_ text: String) {
        switch mode {
        case .inOrder: report(text)
        case .background: shared.withLock { $0.notices.append(text) }
        }
    }
}

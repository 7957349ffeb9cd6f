/// Runs a `RiskSession` tick by tick, one time step at a time: ticks of one time are applied,
/// then the step is evaluated. `FeedDriver` feeds it from a source; tests feed it directly.
public struct Replay {
    public private(set) var session: RiskSession
    /// Maps a tick's symbol id to the engine's symbol index (−1: the portfolio does not price it).
    private var engineIndex: [Int] = []
    private let symbols: SymbolTable
    private var stepTime: Int64 = 0
    private var stepOpen = false
    private var events: [SessionEvent] = []
    /// Per engine symbol: whether an applied tick priced it, and how many none has yet.
    private var priced: [Bool]
    private var unpricedCount: Int
    /// Told after each step with its time and the account (the journal's samples); nil costs a
    /// comparison per step.
    public var afterStep: ((Int64, Engine) -> Void)?

    public init(portfolio: Portfolio, symbols: SymbolTable) throws {
        session = RiskSession(engine: try Engine(portfolio: portfolio))
        self.symbols = symbols
        priced = Array(repeating: false, count: session.engine.symbols.count)
        unpricedCount = priced.count
        events.reserveCapacity(16)
    }

    /// Applies one tick; when it starts a new time, the previous step is finished first and
    /// its events are passed to `onEvent`.
    /// - Complexity: O(positions on the tick's symbol), plus one step evaluation per distinct time.
    @inline(__always)
    public mutating func apply(_ tick: Tick, onEvent: (SessionEvent) throws -> Void) rethrows {
        if stepOpen && tick.time != stepTime { try finishStep(onEvent: onEvent) }
        stepTime = tick.time
        stepOpen = true
        session.countTick(time: tick.time)
        let id = Int(tick.symbol)
        if id >= engineIndex.count { extendIndex(through: id) }
        let s = engineIndex[id]
        guard s >= 0 else { return }
        session.apply(price: tick.price, symbolIndex: s)
        if unpricedCount > 0 && !priced[s] {
            priced[s] = true
            unpricedCount -= 1
        }
    }

    /// The book's symbols no applied tick has priced (within the window): they sit at their
    /// starting marks.
    public var unpricedSymbols: [String] {
        session.engine.symbols.indices.filter { !priced[$0] }.map { session.engine.symbols[$0] }
    }

    /// See `RiskSession.carryOver`.
    public mutating func carryOver(from old: Replay, baselineShift: Double = 0) {
        session.carryOver(from: old.session, baselineShift: baselineShift)
    }

    /// A replay of `new` (the account changed at the exchange) that goes on from this one: the
    /// marks seen so far applied as one step at `time` (the new positions' own marks are the
    /// exchange's at the read, older than the stream's), `thresholds` in force, and the rules
    /// carried over, so only what the change moved is raised or cleared.
    public func replaced(by new: Portfolio, thresholds: AlertThresholds, at time: Int64?,
                         onEvent: (SessionEvent) -> Void) throws -> Replay {
        var fresh = try Replay(portfolio: new, symbols: symbols)
        fresh.afterStep = afterStep
        if thresholds != new.alerts { fresh.replaceThresholds(thresholds) }
        let old = session.engine
        if let time {
            for symbol in new.symbols {
                if let i = old.index(of: symbol), old.marks[i] > 0 {
                    fresh.apply(Tick(time: time, symbol: symbols.id(symbol), price: old.marks[i]), onEvent: onEvent)
                }
            }
        }
        // Money moved in or out (a deposit, a withdrawal) is not a gain or a loss: the soft
        // stop's baseline moves by the equity jump at the change, at the same marks. (A trade
        // moves realized PnL into the wallet: no jump there.)
        let jump = fresh.session.engine.totals.totalEquity - old.totals.totalEquity
        fresh.carryOver(from: self, baselineShift: jump.isFinite ? jump : 0)
        return fresh
    }

    /// Finishes the last open step (call once at the end of the input).
    public mutating func finish(onEvent: (SessionEvent) throws -> Void) rethrows {
        if stepOpen { try finishStep(onEvent: onEvent) }
        stepOpen = false
    }

    /// The time of the step still open (ticks applied, not yet evaluated), if any.
    public var openStepTime: Int64? { stepOpen ? stepTime : nil }

    /// The shortest sample interval the correlation estimate may use (the tapes' bar interval).
    public mutating func setSampleFloor(_ ms: Int64) { session.setSampleFloor(ms) }

    /// Replaces the alert levels; the rules are judged at the next step.
    public mutating func replaceThresholds(_ thresholds: AlertThresholds) {
        session.setThresholds(thresholds)
    }

    /// Replaces the alert levels and judges the rules at once at the current marks, so a new
    /// level shows immediately even while the feed is paused.
    public mutating func setThresholds(_ thresholds: AlertThresholds, time: Int64, onEvent: (SessionEvent) throws -> Void) rethrows {
        session.setThresholds(thresholds)
        events.removeAll(keepingCapacity: true)
        session.judgeRules(time: time, into: &events)
        for e in events { try onEvent(e) }
    }

    private mutating func finishStep(onEvent: (SessionEvent) throws -> Void) rethrows {
        // Most steps raise nothing: the list is emptied only when something was in it (an empty
        // `removeAll` still costs a call per step).
        if !events.isEmpty { events.removeAll(keepingCapacity: true) }
        session.step(time: stepTime, into: &events)
        for e in events { try onEvent(e) }
        if let afterStep { afterStep(stepTime, session.engine) }
    }

    private mutating func extendIndex(through id: Int) {
        while engineIndex.count <= id {
            engineIndex.append(session.engine.index(of: symbols.name(Int32(engineIndex.count))) ?? -1)
        }
    }
}

extension Replay {
    /// Whether the session skips the checks a step cannot have changed (`RiskSession.fastSteps`);
    /// the equivalence test turns it off for reference.
    var fastSteps: Bool {
        get { session.fastSteps }
        set { session.fastSteps = newValue }
    }

    /// Steps the session judged in one pass (`RiskSession.quietSteps`).
    var quietSteps: Int { session.quietSteps }
}

import MarginKit

/// What covers the main screen.
public enum Overlay: Sendable, Equatable {
    case none
    case help
    case details
    case editor
    case stress
    case isolation
    case history
    case goTo
    case deposit
    case chart
}

/// The columns `s` cycles through for sorting the positions table.
public enum SortColumn: Int, Sendable, CaseIterable {
    case portfolio
    case symbol
    case notional
    case unrealizedPnl
    case roe
    case liquidationDistance

    /// Whether this order puts the largest first when not reversed (notional does).
    public var largestFirst: Bool { self == .notional }

    /// The table column this order follows (nil: the file's order).
    public var columnTitle: String? {
        switch self {
        case .portfolio: return nil
        case .symbol: return "SYMBOL"
        case .notional: return "NOTIONAL"
        case .unrealizedPnl: return "uPnL"
        case .roe: return "ROE"
        case .liquidationDistance: return "LIQ DIST"
        }
    }

    public var title: String {
        switch self {
        case .portfolio: return "file order"
        case .symbol: return "symbol"
        case .notional: return "notional"
        case .unrealizedPnl: return "uPnL"
        case .roe: return "ROE"
        case .liquidationDistance: return "liq. distance"
        }
    }
}

/// Everything about the screen that is not the account: overlays, selection, sorting, toggles.
public struct MonitorUIState: Sendable {
    public var overlay: Overlay = .none
    /// Index into the displayed order of positions.
    public var selected = 0
    public var sort: SortColumn = .portfolio
    public var sortReversed = false
    /// While the user moves the selection, the row order is frozen (htop never re-sorts under the cursor).
    public var frozenOrder: [Int]?
    public var freezeUntil = 0.0
    /// `$`: money amounts hidden for screen sharing.
    public var hideMoney = false
    /// Ring the bell on a new critical.
    public var bell = true
    public var message: String?
    public var messageUntil = 0.0
    public var editor = ThresholdEditorState()
    public var historyScroll = 0
    public var goToText = ""
    /// Whether the terminal takes UTF-8 (braille charts); ASCII otherwise.
    public var unicode = true
    /// Which of `ChartView.spans` the chart shows (nil: the source's default).
    public var chartSpan: Int?
    /// The amount typed in the deposit/withdraw panel (`d`); negative withdraws.
    public var depositText = ""
    /// How far the isolated-vs-cross panel is scrolled, and how many rows it shows.
    public var panelScroll = 0
    public var panelPage = 10
    /// Rows of positions the screen shows: what PgUp and PgDn move by.
    public var tablePage = 10

    public init() {}

    /// The chart's span: the one chosen with `<` `>`, else the last hour live and the whole
    /// tape so far in a replay.
    public func chartSpanIndex(isReplay: Bool) -> Int {
        chartSpan ?? (isReplay ? ChartView.spans.count - 1 : 2)
    }

    /// Shows `text` in the status line for a few seconds.
    public mutating func say(_ text: String, now: Double, seconds: Double = 4) {
        message = text
        messageUntil = now + seconds
    }

    /// The positions (indices into `positions`) in display order.
    public func order(of positions: [PositionFigures], now: Double) -> [Int] {
        if let frozen = frozenOrder, now < freezeUntil, frozen.count == positions.count { return frozen }
        return Self.sorted(positions, by: sort, reversed: sortReversed)
    }

    public static func sorted(_ positions: [PositionFigures], by column: SortColumn, reversed: Bool) -> [Int] {
        func key(_ p: PositionFigures) -> Double {
            switch column {
            case .portfolio, .symbol: return Double(p.index)
            case .notional: return -p.notional
            case .unrealizedPnl: return p.unrealizedPnl
            case .roe: return p.roePct
            case .liquidationDistance: return p.liquidationDistancePct.map(abs) ?? .infinity
            }
        }
        var order = Array(positions.indices)
        if column == .symbol {
            order.sort { (positions[$0].symbol, positions[$0].index) < (positions[$1].symbol, positions[$1].index) }
        } else {
            order.sort { (key(positions[$0]), positions[$0].index) < (key(positions[$1]), positions[$1].index) }
        }
        return reversed ? order.reversed() : order
    }
}

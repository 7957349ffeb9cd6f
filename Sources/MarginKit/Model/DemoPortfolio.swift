/// The built-in demo account: what `marginwatch` shows with no `--portfolio`.
///
/// It is built to teach what the seed articles teach: a cross book where a BTC long props up
/// an altcoin short and a large ETH long, a little BTC held as haircut collateral, dry powder
/// close to the 30% rule of thumb, an ETH position whose MM sits near the 2%-of-equity rule and
/// has no stop-loss (deliberately), and one 20× isolated position that is a few percent from its
/// own liquidation while the cross book is far from its. BTC and ETH, both long, are declared
/// one bet: each alone is under the position-size rule, together they are over it.
public enum DemoPortfolio {
    /// The demo as portfolio-file text (loaded through the normal loader, so it is validated).
    public static let yaml = """
    # marginwatch demo account (USDT-margined perpetuals, one-way mode)
    account:
      wallet: 10000
    collateral:
      - asset: BTC               # spot BTC counted in cross equity at 95% of its value
        amount: 0.05
        price: BTCUSDT
        haircut: 0.05
    positions:
      - symbol: BTCUSDT          # the winner that props up the book
        side: long
        size: 0.15
        entry: 66000
        leverage: 5
        stop_loss: 61000
        mark: 66500
      - symbol: SOLUSDT          # altcoin short, hedging some market risk
        side: short
        size: 33
        entry: 150
        leverage: 10
        stop_loss: 165
        mark: 152
      - symbol: ETHUSDT          # the big one, and no stop-loss: deliberately
        side: long
        size: 18
        entry: 3300
        leverage: 10
        mark: 3250
      - symbol: DOGEUSDT         # 20x isolated: only its 100 USDT can be lost, but it is close
        side: long
        size: 12500
        entry: 0.16
        leverage: 20
        margin: isolated
        isolated_margin: 100
        stop_loss: 0.155
        mark: 0.1595
    groups:                      # one bet on the market: judged as one position (correlated_mm)
      majors: [BTCUSDT, ETHUSDT]
    instruments:                 # illustrative brackets for the demo altcoins; check your exchange
      SOLUSDT:
        tiers:
          - {floor: 0, mmr: 0.005}
          - {floor: 50000, mmr: 0.01}
          - {floor: 250000, mmr: 0.02}
          - {floor: 1000000, mmr: 0.05}
      DOGEUSDT:
        tiers:
          - {floor: 0, mmr: 0.005}
          - {floor: 50000, mmr: 0.01}
          - {floor: 500000, mmr: 0.02}
          - {floor: 2000000, mmr: 0.05}
    alerts:
      margin_ratio: {warn: 2.0, critical: 1.5}
      free_margin_pct: {warn: 30, critical: 20}
      liquidation_distance_pct: {warn: 10, critical: 5}
      position_mm_pct: {warn: 2}
      soft_stop_loss_pct: 15
      soft_stop_action: alert
      hysteresis_pct: 5
    feed:
      seed: 42
      interval: 250ms
      symbols:
        BTCUSDT: {vol: 0.60}
        ETHUSDT: {vol: 0.75}
        SOLUSDT: {vol: 1.00}
        DOGEUSDT: {vol: 1.10}
      correlation: 0.8
      jumps: {per_hour: 2, mean_pct: -4, stdev_pct: 3}

    """
}

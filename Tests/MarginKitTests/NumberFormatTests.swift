import Testing
@testable import MarginKit

@Suite struct NumberFormatTests {
    @Test func moneyGroupsThousandsAndSigns() {
        #expect(NumberFormat.money(1_234_567.891) == "1,234,567.89")
        #expect(NumberFormat.money(-0.004) == "0.00")
        #expect(NumberFormat.signedMoney(75) == "+75.00")
        #expect(NumberFormat.signedMoney(-937.5) == "-937.50")
        #expect(NumberFormat.signedMoney(0) == "0.00")
    }

    @Test func pricesKeepTheDecimalsTheirSizeNeeds() {
        #expect(NumberFormat.price(66_500) == "66,500.00")
        #expect(NumberFormat.price(3.14159) == "3.1416")
        #expect(NumberFormat.price(0.1595) == "0.15950")
        #expect(NumberFormat.price(nil) == "—")
    }

    @Test func percentagesRatiosAndQuantities() {
        #expect(NumberFormat.percent(35.24) == "35.2%")
        #expect(NumberFormat.signedPercent(-18.05, decimals: 2) == "-18.05%")
        #expect(NumberFormat.signedPercent(884.9) == "+884.9%")
        #expect(NumberFormat.ratio(nil) == "—")
        #expect(NumberFormat.quantity(0.15) == "0.15")
        #expect(NumberFormat.quantity(12_500) == "12,500")
        #expect(NumberFormat.leverage(12.5) == "12.5x")
    }

    @Test func jsonNumbersAreIntegralWhenWholeAndNullWhenMissing() {
        #expect(JSONValue.array([.number(10_000), .number(0.25), .number(nil), .number(Double.nan)]).rendered
                == "[10000, 0.25, null, null]")
        #expect(JSONValue.string("a\"b\n").rendered == "\"a\\\"b\\n\"")
    }
}

import Foundation
import Testing
@testable import Report

@Suite("Ticks, number formatting and axis mapping")
struct TicksTests {
    @Test func niceSteps() {
        #expect(Ticks.niceStep(span: 1, target: 5) == 0.2)
        #expect(Ticks.niceStep(span: 10, target: 5) == 2)
        #expect(Ticks.niceStep(span: 100, target: 4) == 20)
        #expect(Ticks.niceStep(span: 7, target: 7) == 1)
        #expect(Ticks.niceStep(span: 0.003, target: 6) == 0.0005)
        #expect(Ticks.niceStep(span: 360, target: 6) == 50)
        #expect(Ticks.niceStep(span: 0.9, target: 6) == 0.2)
    }

    @Test func linearTicksAreExactDecimals() {
        #expect(Ticks.linear(0, 1, target: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(Ticks.linear(0, 1, target: 10) == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1])
        #expect(Ticks.linear(0.35, 1.65, target: 6) == [0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6])
        #expect(Ticks.linear(-3, 7, target: 5) == [-2, 0, 2, 4, 6])
        #expect(Ticks.linear(0, 151_936, target: 6) == [0, 20000, 40000, 60000, 80000, 100_000, 120_000, 140_000])
        #expect(Ticks.linear(2, 2) == [2])
        #expect(Ticks.linear(.nan, 1).isEmpty)
    }

    @Test func niceLimitsWidenToSteps() {
        #expect(Ticks.niceLimits(0, 5900) == (0, 6000))
        #expect(Ticks.niceLimits(0.36, 1.61) == (0.2, 1.8))
        #expect(Ticks.niceLimits(-0.3, 0.9) == (-0.4, 1))
    }

    @Test func logTicks() {
        #expect(Ticks.log10(1e-6, 1) == [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1])
        #expect(Ticks.log10(0.5, 100_000) == [1, 10, 100, 1000, 10000, 100_000])
        // Fewer than two decades: 1, 2, 5 within them.
        #expect(Ticks.log10(1, 20) == [1, 2, 5, 10, 20])
        // Many decades: every second one.
        #expect(Ticks.log10(1e-20, 1) == stride(from: -20, through: 0, by: 3).map { Ticks.scaled(1, $0) })
        #expect(Ticks.log10(0, 1).isEmpty)
        #expect(Ticks.log10Minor(1, 10) == [2, 3, 4, 5, 6, 7, 8, 9, 10].dropLast())
    }

    @Test func numberFormats() {
        #expect(NumberFormat.grouped(151_936) == "151,936")
        #expect(NumberFormat.grouped(-1234) == "-1,234")
        #expect(NumberFormat.grouped(999) == "999")
        #expect(NumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(NumberFormat.significant(1.0872834, digits: 7) == "1.087283")
        #expect(NumberFormat.significant(1.525879e-05, digits: 4) == "1.526×10⁻⁵")
        #expect(NumberFormat.significant(0.002, digits: 3) == "0.002")
        #expect(NumberFormat.significant(1e-6) == "10⁻⁶")
        #expect(NumberFormat.significant(2_445_366, digits: 3) == "2.45×10⁶")
        #expect(NumberFormat.powerOfTen(-12) == "10⁻¹²")
        #expect(NumberFormat.linearTickLabels([-180, -120, 0, 60]) == ["−180", "−120", "0", "60"])
        #expect(NumberFormat.linearTickLabels([0, 0.2, 0.4]) == ["0.0", "0.2", "0.4"])
        #expect(NumberFormat.linearTickLabels([0, 50000, 100_000]) == ["0", "50,000", "100,000"])
        #expect(NumberFormat.logTickLabels([1, 10, 1000, 100_000]) == ["1", "10", "1,000", "100,000"])
        #expect(NumberFormat.logTickLabels([1e-6, 1e-3, 1]) == ["10⁻⁶", "10⁻³", "10⁰"])
    }

    @Test func logAxisMapping() {
        let a = ResolvedAxis(Axis("d", scale: .log10, limits: 1e-6...1), dataRange: nil, nice: false)
        #expect(abs(a.fraction(1e-6)) < 1e-12)
        #expect(abs(a.fraction(1) - 1) < 1e-12)
        #expect(abs(a.fraction(1e-3) - 0.5) < 1e-12)
        #expect(abs(a.fraction(0.002) - (log10(0.002) + 6) / 6) < 1e-12)
        #expect(a.fraction(0).isNaN)
        #expect(a.fraction(-1).isNaN)
        #expect(abs(a.value(at: 0.5) - 1e-3) < 1e-15)
        #expect(a.ticks.count == 7)
        // Automatic log limits widen to whole decades.
        let b = ResolvedAxis(Axis("n", scale: .log10), dataRange: (3, 2212), nice: true)
        #expect(b.lo == 1 && b.hi == 10000)
        let c = ResolvedAxis(Axis("x"), dataRange: (0.36, 1.61), nice: true)
        #expect(c.lo == 0.2 && c.hi == 1.8)
        #expect(abs(c.fraction(1.0) - 0.5) < 1e-12)
    }
}

import Foundation
import Testing
import FuzzChecks

/// Every input a fuzzer ever crashed on is kept in Tests/Fuzz/<target>/ and replayed here
/// through the same check, so a fixed crash stays fixed (Scripts/fuzz.sh also seeds from them).
@Suite struct FuzzRegressionTests {
    static let root = ScreenFixtures.repoRoot.appendingPathComponent("Tests/Fuzz")

    static var cases: [String] {
        let targets = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return targets.sorted().flatMap { target in
            ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(target).path)) ?? []).sorted().map { "\(target)/\($0)" }
        }
    }

    @Test func thereAreSavedInputs() {
        #expect(Self.cases.count >= 3)
    }

    @Test(arguments: cases)
    func savedInputPasses(_ name: String) throws {
        let target = try #require(FuzzTarget.all.first { $0.name == name.split(separator: "/")[0] }, "no fuzz target for \(name)")
        let bytes = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent(name)))
        let failure = target.run(bytes)
        #expect(failure == nil, "\(name): \(failure ?? "")")
    }
}

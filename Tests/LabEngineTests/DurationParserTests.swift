import Testing
@testable import LabEngine

@Suite("Parsing durations")
struct DurationParserTests {
    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)), ("5s", .seconds(5)), ("2m", .seconds(120)),
        ("1.5s", .milliseconds(1500)), (" 20s ", .seconds(20)), ("1h", .seconds(3600)),
    ])
    func readsANumberAndAUnit(_ text: String, _ expected: Duration) throws {
        #expect(try DurationParser.parse(text) == expected)
    }

    @Test(arguments: [
        ("soon", "is not a duration"), ("5", "has no unit"), ("-5s", "is negative"), ("0s", "is zero"),
        ("s", "is not a duration"), ("5 parsecs", "is not a duration"), ("2d", "is not a duration"),
        ("1.2.3s", "is not a duration"), ("", "is not a duration"),
    ])
    func rejectsGarbageWithAHint(_ text: String, _ fragment: String) {
        #expect {
            try DurationParser.parse(text)
        } throws: { error in
            (error as? LabFieldError)?.message.contains(fragment) == true
        }
    }

    @Test func zeroIsFineWhenTheCallerSaysSo() throws {
        #expect(try DurationParser.parse("0ms", allowZero: true) == .zero)
    }

    @Test(arguments: [(Duration.milliseconds(500), "500ms"), (.seconds(5), "5s"), (.seconds(60), "60s"),
                      (.seconds(600), "10m"), (.milliseconds(1500), "1.5s")])
    func writesDurationsTheWayLabsDo(_ duration: Duration, _ text: String) {
        #expect(DurationParser.format(duration) == text)
    }
}

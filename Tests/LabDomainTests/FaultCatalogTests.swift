import FaultProxy
import LabEngine
import LabDomain
import Testing

/// The lab format's fault catalogue and the faults the sandbox really makes must name the same
/// faults with the same attributes, or a lab could ask for something the proxy does not know.
struct FaultCatalogTests {
    @Test func theEdgeFaultsAreTheProxysFaults() {
        #expect(FaultCatalog.names(.edge) == FaultKind.names)
        for type in ToxicKind.types {
            #expect(FaultCatalog.entry(type)?.attributes.map(\.name) == ToxicKind.attributeNames(of: type), "\(type)")
        }
        for entry in FaultCatalog.entries where entry.hasStream {
            // The smallest and largest values the catalogue allows are accepted by the proxy.
            for bound in [\ClosedRange<Double>.lowerBound, \.upperBound] {
                let attributes = Dictionary(uniqueKeysWithValues: entry.attributes.map { ($0.name, Int($0.range[keyPath: bound])) })
                    .merging(entry.name == "slicer" ? ["size_variation": 0] : [:]) { $1 }
                #expect(throws: Never.self, "\(entry.name) \(attributes)") {
                    try ToxicKind(type: entry.name, attributes: attributes).validate()
                }
            }
        }
    }

    @Test func theServiceFaultsAreReadFromTheCatalogue() throws {
        for entry in FaultCatalog.entries where entry.family == .service {
            // The smallest and largest values the catalogue allows make the fault of that name.
            let service = entry.services?.first ?? "checkout"
            for bound in [\ClosedRange<Double>.lowerBound, \.upperBound] {
                let attributes = Dictionary(uniqueKeysWithValues: entry.attributes.map { ($0.name, $0.range[keyPath: bound]) })
                let kind = try ServiceFaultKind(FaultSpec(type: entry.name, attributes: attributes), service: service)
                #expect(kind.type == entry.name, "\(entry.name) \(attributes)")
            }
        }
        // What the catalogue refuses, the service fault refuses, with the catalogue's words.
        #expect(throws: LabError.invalid("memory: 'mb' must be a whole number from 1 to 4096 MB, got 5000")) {
            try ServiceFaultKind(FaultSpec(type: "memory", attributes: ["mb": 5000]), service: "cache")
        }
        #expect(throws: LabError.invalid("'empty' is a fault of the ads service only, not of checkout: Answer 200 with an empty ad list: a gray failure, successful and wrong.")) {
            try ServiceFaultKind(FaultSpec(type: "empty"), service: "checkout")
        }
        #expect(throws: LabError.invalid("unknown service fault 'latency'; service faults: kill, pause, cpu, memory, errors, empty")) {
            try ServiceFaultKind(FaultSpec(type: "latency", attributes: ["latency": 100]), service: "checkout")
        }
    }

    @Test("a target is named by a service, an edge's key or its proxy's name; nothing else")
    func targetsByName() {
        #expect(FaultBoard.target(named: "checkout", in: .demoShop) == .service("checkout"))
        #expect(FaultBoard.target(named: "storefront->ads", in: .demoShop) == .edge(EdgeID(from: "storefront", to: "ads")))
        #expect(FaultBoard.target(named: "storefront-ads", in: .demoShop) == .edge(EdgeID(from: "storefront", to: "ads")))
        #expect(FaultBoard.target(named: "storefront-nowhere", in: .demoShop) == nil)
        #expect(FaultBoard.target(named: "billing", in: .demoShop) == nil)
    }
}

import FaultProxy
import LabEngine
import LabDomain
import LabServer
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

    @Test func theServiceFaultsAreTheSupervisorsFaults() throws {
        #expect(FaultCatalog.names(.service) == ServiceFaultKind.types)
        for entry in FaultCatalog.entries where entry.family == .service {
            // The smallest and largest values the catalogue allows are accepted by the service fault.
            let service = entry.services?.first ?? "checkout"
            for bound in [\ClosedRange<Double>.lowerBound, \.upperBound] {
                let attributes = Dictionary(uniqueKeysWithValues: entry.attributes.map { ($0.name, $0.range[keyPath: bound]) })
                #expect(throws: Never.self, "\(entry.name) \(attributes)") {
                    _ = try ServiceFaultKind(type: entry.name, attributes: attributes, service: service)
                }
            }
        }
    }
}

import Foundation

/// Comparison is a threshold such as `< 0.01`, `>= 0.99` or `== 0`, as written in a lab file.
public struct Comparison: Hashable, Sendable, CustomStringConvertible {
    public enum Operator: String, Hashable, Sendable, CaseIterable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="
    }

    public var op: Operator
    public var value: Double

    public init(_ op: Operator, _ value: Double) {
        self.op = op
        self.value = value
    }

    /// Parses `"< 0.01"` (spaces optional); nil when it is not an operator followed by a number.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // Two-character operators first, so that "<=" is not read as "<" and "=0".
        let ordered = Operator.allCases.sorted { $0.rawValue.count > $1.rawValue.count }
        guard let op = ordered.first(where: { trimmed.hasPrefix($0.rawValue) }),
              let value = Double(trimmed.dropFirst(op.rawValue.count).trimmingCharacters(in: .whitespaces)),
              value.isFinite
        else { return nil }
        self.init(op, value)
    }

    public func holds(for observed: Double) -> Bool {
        switch op {
        case .less: observed < value
        case .lessOrEqual: observed <= value
        case .greater: observed > value
        case .greaterOrEqual: observed >= value
        case .equal: observed == value
        case .notEqual: observed != value
        }
    }

    public var description: String { "\(op.rawValue) \(formattedNumber(value))" }

    static let syntaxHint = "write an operator and a number, like \"< 0.01\", \">= 0.99\" or \"== 0\""
}

/// A number as a person writes it: 0.99, 3, 1.5e-05.
func formattedNumber(_ value: Double) -> String {
    if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
    var text = String(format: "%.4g", value)
    if text.contains("e") { return text }
    while text.contains("."), text.hasSuffix("0") { text.removeLast() }
    return text
}

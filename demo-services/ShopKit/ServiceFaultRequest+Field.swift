extension ServiceFaultRequest {
    /// Field is one number in a fault body: its wire name, the values it may take, and whether it must be whole.
    struct Field {
        let name: String
        let range: ClosedRange<Double>
        let whole: Bool

        /// What the field must hold, e.g. "a whole number from 1 to 8".
        var expected: String {
            let what = whole ? "a whole number" : "a number"
            return "\(what) from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))"
        }

        /// The field's value, or what is wrong with it.
        func check(_ value: BodyValue?) -> Result<Double, Problem> {
            guard let value else { return .failure(.missing) }
            guard case .number(let number) = value else { return .failure(.wrongType(value.kindDescription)) }
            guard range.contains(number), !whole || number == number.rounded() else {
                return .failure(.outOfRange(number))
            }
            return .success(number)
        }

        /// `3` rather than `3.0` for whole numbers; other numbers as Swift prints them.
        static func format(_ number: Double) -> String {
            number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : "\(number)"
        }
    }

    /// Problem is what is wrong with one field.
    enum Problem: Error, Equatable {
        /// The field is absent.
        case missing
        /// The field holds something other than a number, e.g. "a string".
        case wrongType(String)
        /// The field is a number outside its range, or a fraction where a whole number is needed.
        case outOfRange(Double)

        /// The message for `field` in the body of `place` (e.g. "PUT /admin/faults/cpu").
        func message(field: Field, place: String) -> String {
            switch self {
            case .missing:
                "missing field '\(field.name)' in \(place): \(field.expected)"
            case .wrongType(let got):
                "field '\(field.name)' in \(place) must be \(field.expected), got \(got)"
            case .outOfRange(let got):
                "field '\(field.name)' in \(place) must be \(field.expected), got \(Field.format(got))"
            }
        }
    }

    /// BodyValue is one JSON value of a fault body, as far as checking needs it.
    enum BodyValue: Decodable {
        case number(Double)
        case boolean
        case string
        case null
        case nested

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if (try? container.decode(Bool.self)) != nil {
                self = .boolean
            } else if (try? container.decode(String.self)) != nil {
                self = .string
            } else {
                self = .nested
            }
        }

        /// What the value is, as said in an error message.
        var kindDescription: String {
            switch self {
            case .number: "a number"
            case .boolean: "a boolean"
            case .string: "a string"
            case .null: "null"
            case .nested: "an array or object"
            }
        }
    }
}

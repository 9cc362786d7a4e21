import Yams

/// Field readers for lab decoding: each reports its problem to the `ProblemLog` at the offending
/// node and returns nil, so that the caller can go on and find the next problem.
extension KeyedDecodingContainer {
    /// Where the value of `key` sits in the file (the mapping itself when the key is absent).
    func mark(of key: Key, in decoder: any Decoder) -> Mark? {
        (try? superDecoder(forKey: key))?.mark ?? decoder.mark
    }

    private func fieldName(_ key: Key, in decoder: any Decoder) -> String {
        codingPlace(decoder.codingPath + [key])
    }

    /// An optional field: nil when absent; reported and nil when present but invalid.
    func optional<T: Decodable>(_ key: Key, in decoder: any Decoder) -> T? {
        guard contains(key) else { return nil }
        do {
            if try decodeNil(forKey: key) { return nil }
            return try decode(T.self, forKey: key)
        } catch is AlreadyReported {
            return nil
        } catch let error as DecodingError {
            decoder.problemLog.report(describe(error, field: fieldName(key, in: decoder)), at: mark(of: key, in: decoder))
            return nil
        } catch {
            decoder.problemLog.report("invalid '\(fieldName(key, in: decoder))': \(error)", at: mark(of: key, in: decoder))
            return nil
        }
    }

    /// A required field: reports "missing required field" when absent or empty.
    func required<T: Decodable>(_ key: Key, in decoder: any Decoder, example: String = "…") -> T? {
        let isNull = contains(key) && ((try? decodeNil(forKey: key)) ?? false)
        guard contains(key), !isNull else {
            decoder.problemLog.report(
                "missing required field '\(key.stringValue)' in \(decoder.place); add `\(key.stringValue): \(example)`",
                at: isNull ? mark(of: key, in: decoder) : decoder.mark)
            return nil
        }
        return optional(key, in: decoder)
    }

    /// A duration such as "5s"; `fallback` when absent.
    func duration(_ key: Key, fallback: Duration, in decoder: any Decoder) -> Duration? {
        guard let text: String = optional(key, in: decoder) else { return contains(key) ? nil : fallback }
        do {
            return try DurationParser.parse(text)
        } catch {
            decoder.problemLog.report("\(fieldName(key, in: decoder)): \(error.message)", at: mark(of: key, in: decoder))
            return nil
        }
    }

    /// A list whose elements decode one by one; nil when absent, not a list, or any element failed.
    func list<T: Decodable>(_ key: Key, of type: T.Type, in decoder: any Decoder) -> [(value: T, mark: Mark?)]? {
        guard let attempts: [Attempt<T>] = optional(key, in: decoder) else { return nil }
        let values = attempts.compactMap { attempt in attempt.value.map { ($0, attempt.mark) } }
        return values.count == attempts.count ? values : nil
    }

    /// A mapping with free keys (journey names, services, knobs), in file order, with each value's mark.
    /// Elements that fail to decode come back with a nil value (already reported).
    func entries<T: Decodable>(_ key: Key, of type: T.Type, in decoder: any Decoder) -> [(key: String, value: T?, mark: Mark?)]? {
        guard contains(key) else { return nil }
        do {
            let nested = try nestedContainer(keyedBy: AnyKey.self, forKey: key)
            return nested.allKeys.map { entryKey in
                let attempt = try? nested.decode(Attempt<T>.self, forKey: entryKey)
                return (entryKey.stringValue, attempt?.value, attempt?.mark)
            }
        } catch let error as DecodingError {
            decoder.problemLog.report(describe(error, field: fieldName(key, in: decoder)), at: mark(of: key, in: decoder))
            return nil
        } catch {
            return nil
        }
    }
}

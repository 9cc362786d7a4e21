import Foundation

/// PixelSize is a width and a height in CSS pixels: a window, a viewport, a screenshot.
struct PixelSize: Sendable, Equatable, CustomStringConvertible {
    let width: Int
    let height: Int

    var description: String { "\(width)×\(height)" }

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// The size of a PNG image, read from its 8-byte signature and the IHDR chunk that must
    /// follow it; nil for data that is no PNG.
    init?(png data: Data) {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
              bytes[12..<16].elementsEqual("IHDR".utf8)
        else { return nil }
        func bigEndian(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 << 8 | Int($1) } }
        self.init(width: bigEndian(16..<20), height: bigEndian(20..<24))
    }
}

/// Line breaks as libyaml counts them: LF, CR LF, CR, and (YAML 1.1) NEL, LS and PS in UTF-8.
enum LineBreak {
    /// Length in bytes of the line break starting at `offset`, or 0 when none starts there.
    static func length<Bytes: RandomAccessCollection<UInt8>>(at offset: Int, in bytes: Bytes) -> Int where Bytes.Index == Int {
        let end = bytes.endIndex
        guard offset < end else { return 0 }
        switch bytes[offset] {
        case 0x0A:
            return 1
        case 0x0D:
            return offset + 1 < end && bytes[offset + 1] == 0x0A ? 2 : 1
        case 0xC2:
            return offset + 1 < end && bytes[offset + 1] == 0x85 ? 2 : 0
        case 0xE2:
            return offset + 2 < end && bytes[offset + 1] == 0x80 && (bytes[offset + 2] == 0xA8 || bytes[offset + 2] == 0xA9) ? 3 : 0
        default:
            return 0
        }
    }

    /// 1-based line of the byte at `offset`.
    static func lineNumber<Bytes: RandomAccessCollection<UInt8>>(ofByte offset: Int, in bytes: Bytes) -> Int where Bytes.Index == Int {
        var line = 1
        var position = bytes.startIndex
        while position < offset {
            let length = length(at: position, in: bytes)
            line += length > 0 ? 1 : 0
            position += max(length, 1)
        }
        return line
    }
}

/// Where one document's content lies, gathered from its events.
///
/// libyaml's document marks are no help here: an implicit document ends where the next token starts (after
/// any comments), and a block collection ends where the token that closed it starts. So the extent runs from
/// the root node's start to the furthest end of anything with text of its own — scalars, aliases, anchors and
/// tags, flow brackets.
struct ContentExtent {
    /// 0-based line of the `---` that introduced the document, if one did.
    private let markerLine: Int?
    private(set) var start: Mark?
    /// The root is a zero-length plain scalar: libyaml's stand-in for a document with no content.
    private(set) var isEmpty = false
    private var end: Mark?
    private var endsInBlockScalar = false
    /// The two furthest positions of zero-length values (`key:`, a lone `-`, `?`). libyaml places a value
    /// missing after `? key` where the next token starts, which may be the document's end: not content.
    private var furthestEmptyValue: Mark?
    private var previousEmptyValue: Mark?

    init(documentStart: Event) {
        if case .documentStart(explicit: true) = documentStart.kind {
            markerLine = documentStart.end.line
        } else {
            markerLine = nil
        }
    }

    mutating func include(_ event: Event) {
        let hasText = event.end.index > event.start.index
        if start == nil {
            start = event.start
            if case .scalar = event.kind, !hasText { isEmpty = true }
        }
        switch event.kind {
        case .scalar(_, _, let isBlock):
            if hasText {
                extend(to: event.end, blockScalar: isBlock)
            } else if event.start.index > furthestEmptyValue?.index ?? -1 {
                previousEmptyValue = furthestEmptyValue
                furthestEmptyValue = event.start
            }
        case .alias, .sequenceStart, .mappingStart, .sequenceEnd, .mappingEnd:
            if hasText { extend(to: event.end, blockScalar: false) }
        default:
            break
        }
    }

    private mutating func extend(to mark: Mark, blockScalar: Bool) {
        guard mark.index > end?.index ?? -1 else { return }
        end = mark
        endsInBlockScalar = blockScalar
    }

    /// The document's source: from the start of its first content line (or, when the content shares the
    /// `---` line, from the content itself) through the end of its last content line, line break included.
    func source(endingBefore documentEnd: Mark, in text: inout SourceText) -> String? {
        guard let start, !isEmpty else { return nil }
        var last = end ?? start
        var lastIsBlockScalar = endsInBlockScalar
        let emptyValue = furthestEmptyValue.flatMap { $0.index < documentEnd.index ? $0 : previousEmptyValue }
        if let emptyValue, emptyValue.index > last.index {
            last = emptyValue
            lastIsBlockScalar = false
        }
        let lineStart = text.byteOffset(ofCodePoint: start.index - start.column)
        var lower = lineStart
        if markerLine == start.line {
            lower = text.byteOffset(ofCodePoint: start.index)
            // Content that reads as a marker once at the start of a line (`--- ---`) keeps its `---` before it.
            if Self.isMarker(at: lower, in: text.bytes) { lower = lineStart }
        }
        var upper = text.byteOffset(ofCodePoint: last.index)
        // A block scalar's end mark lies at a line start when it consumed the breaks after its text.
        var endsWithBreak = lastIsBlockScalar && last.column == 0
        if !endsWithBreak {
            while upper < text.bytes.count, LineBreak.length(at: upper, in: text.bytes) == 0 { upper += 1 }
            let breakLength = LineBreak.length(at: upper, in: text.bytes)
            upper += breakLength
            endsWithBreak = breakLength > 0
        }
        let source = String(decoding: text.bytes[lower..<upper], as: UTF8.self)
        // At the end of a file without a final newline; not after a block scalar, whose value would change.
        return endsWithBreak || lastIsBlockScalar ? source : source + "\n"
    }

    /// `---` or `...` followed by a blank, a line break or the end of the input.
    private static func isMarker(at offset: Int, in bytes: [UInt8]) -> Bool {
        let marker = bytes[offset...].prefix(3)
        guard marker.elementsEqual("---".utf8) || marker.elementsEqual("...".utf8) else { return false }
        let next = offset + 3
        return next == bytes.count || bytes[next] == 0x20 || bytes[next] == 0x09 || LineBreak.length(at: next, in: bytes) > 0
    }
}

/// The input's bytes, and a forward-walking map from libyaml's code-point positions to byte offsets.
struct SourceText {
    let bytes: [UInt8]
    private var codePoint = 0
    private var byte = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Byte offset of the code point at `index`. Cheap when called with increasing positions, as documents are.
    /// The bytes were validated as UTF-8 by libyaml before it reported any position within them.
    mutating func byteOffset(ofCodePoint index: Int) -> Int {
        if index < codePoint {
            codePoint = 0
            byte = 0
        }
        while codePoint < index, byte < bytes.count {
            byte += 1
            while byte < bytes.count, bytes[byte] & 0xC0 == 0x80 { byte += 1 }
            codePoint += 1
        }
        return byte
    }
}

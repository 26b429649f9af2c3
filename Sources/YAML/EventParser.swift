internal import CYAML

/// A position as libyaml reports it. `index` counts Unicode code points, not bytes (a CRLF counts two);
/// `line` and `column` are 0-based.
struct Mark: Sendable {
    let index: Int
    let line: Int
    let column: Int

    init(_ mark: yaml_mark_t) {
        index = Int(mark.index)
        line = Int(mark.line)
        column = Int(mark.column)
    }
}

/// One libyaml parsing event, copied out of libyaml's memory.
struct Event: Sendable {
    enum Kind: Sendable {
        case streamStart, streamEnd
        case documentStart(explicit: Bool)
        case documentEnd
        case alias(String)
        /// `isBlock`: a literal (`|`) or folded (`>`) scalar, whose end mark lies after the line breaks it consumed.
        case scalar(String, anchor: String?, isBlock: Bool)
        case sequenceStart(anchor: String?)
        case sequenceEnd
        case mappingStart(anchor: String?)
        case mappingEnd
    }

    let kind: Kind
    let start: Mark
    let end: Mark
}

/// Owns a libyaml event parser and the copy of the input it reads, freeing both in `deinit`.
/// The input is read as UTF-8 only (no UTF-16 detection), so positions can be mapped back to bytes.
final class EventParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let inputCount: Int
    /// Added to libyaml's byte offsets in messages, for bytes stripped before parsing (a byte order mark).
    private let reportedOffsetBias: Int

    init(input bytes: some Collection<UInt8>, reportedOffsetBias: Int = 0) throws(YAMLError) {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            throw YAMLError(message: "libyaml could not allocate a parser", line: 1)
        }
        // libyaml keeps the pointer until the parser is deleted, and needs one even for empty input.
        let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        inputCount = input.initialize(fromContentsOf: bytes)
        yaml_parser_set_input_string(parser, input.baseAddress, inputCount)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        self.parser = parser
        self.input = input
        self.reportedOffsetBias = reportedOffsetBias
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// The next event; after the end of the stream, `.streamEnd` again.
    func next() throws(YAMLError) -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw currentError() }
        defer { yaml_event_delete(&event) }
        return Event(kind: Self.kind(of: event), start: Mark(event.start_mark), end: Mark(event.end_mark))
    }

    private static func kind(of event: yaml_event_t) -> Event.Kind {
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(explicit: event.data.document_start.implicit == 0)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(string(event.data.alias.anchor) ?? "")
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length)), as: UTF8.self)
            let isBlock = scalar.style == YAML_LITERAL_SCALAR_STYLE || scalar.style == YAML_FOLDED_SCALAR_STYLE
            return .scalar(value, anchor: string(scalar.anchor), isBlock: isBlock)
        case YAML_SEQUENCE_START_EVENT:
            return .sequenceStart(anchor: string(event.data.sequence_start.anchor))
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            return .mappingStart(anchor: string(event.data.mapping_start.anchor))
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            // YAML_STREAM_END_EVENT, and YAML_NO_EVENT, which libyaml returns once the stream has ended.
            return .streamEnd
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// libyaml's problem, with the line it was found on and the construct it was reading.
    private func currentError() -> YAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "libyaml failed without a message"
        switch state.error {
        case YAML_READER_ERROR:
            // Reader errors (bad UTF-8, control characters) carry a byte offset but no mark.
            let offset = min(Int(state.problem_offset), inputCount)
            let value = state.problem_value >= 0 ? " 0x" + Self.hex(Int(state.problem_value)) : ""
            let line = LineBreak.lineNumber(ofByte: offset, in: UnsafeBufferPointer(rebasing: input[..<inputCount]))
            return YAMLError(message: "\(problem)\(value) at byte offset \(offset + reportedOffsetBias)", line: line)
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
            let line = Int(state.problem_mark.line) + 1
            guard let context = state.context.map({ String(cString: $0) }) else {
                return YAMLError(message: problem, line: line)
            }
            let contextLine = Int(state.context_mark.line) + 1
            let started = contextLine == line ? "" : " started on line \(contextLine)"
            return YAMLError(message: "\(problem) \(context)\(started)", line: line)
        case YAML_MEMORY_ERROR:
            return YAMLError(message: "libyaml ran out of memory", line: Int(state.mark.line) + 1)
        default:
            return YAMLError(message: problem, line: Int(state.problem_mark.line) + 1)
        }
    }

    private static func hex(_ value: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count % 2 == 0 ? digits : "0" + digits
    }
}

/// A command line split into positionals and options, checked against the known option specs.
/// Options may appear before or after the subcommand and its arguments.
struct ParsedArguments: Sendable {
    private(set) var positionals: [String] = []
    private(set) var values: [String: [String]] = [:]
    private(set) var flags: Set<String> = []

    /// Splits `arguments` using `specs` to know which options take values; `--name=value` and `--name value`
    /// both work, `--` ends options. `checkRepeats: false` accepts any option more than once (for the pass
    /// that only looks for the command name).
    init(_ arguments: [String], specs: [OptionSpec], checkRepeats: Bool = true) throws(UsageError) {
        var byName: [String: OptionSpec] = [:]
        for spec in specs { for name in spec.names { byName[name] = spec } }
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                positionals.append(argument)
                continue
            }
            if argument == "--" { optionsEnded = true; continue }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard let spec = byName[name] else { throw UsageError("unknown option \(name)") }
            if spec.valueName == nil {
                guard inlineValue == nil else { throw UsageError("option \(name) does not take a value") }
                flags.insert(spec.canonicalName)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                guard index < arguments.count else { throw UsageError("option \(name) needs a value (\(spec.valueName!))") }
                value = arguments[index]
                index += 1
            }
            if checkRepeats, !spec.repeatable, values[spec.canonicalName] != nil { throw UsageError("option \(name) given more than once") }
            values[spec.canonicalName, default: []].append(value)
        }
    }

    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// Every option given, by canonical name.
    var optionNames: Set<String> { flags.union(values.keys) }

    /// Removes the first `count` positionals (the subcommand's words).
    func droppingCommandWords(_ count: Int) -> ParsedArguments {
        var copy = self
        copy.positionals.removeFirst(count)
        return copy
    }

    /// An integer option within `range`.
    func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>, command: String) throws(UsageError) -> Int {
        guard let raw = value(name) else { return fallback }
        guard let number = Int(raw), range.contains(number) else {
            throw UsageError("\(name) needs a number from \(range.lowerBound) to \(range.upperBound), got \"\(raw)\"", command: command)
        }
        return number
    }
}

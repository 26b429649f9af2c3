import OCI

/// Writes a JSON value as block YAML (`-o yaml`): keys sorted, strings quoted whenever plain YAML could read
/// them as something else.
enum YAMLEmitter {
    static func render(_ value: JSONValue) -> String {
        var out = ""
        emit(value, indent: 0, into: &out, inline: false)
        return out.hasSuffix("\n") ? out : out + "\n"
    }

    private static func emit(_ value: JSONValue, indent: Int, into out: inout String, inline: Bool) {
        let pad = String(repeating: "  ", count: indent)
        switch value {
        case .object(let object) where !object.isEmpty:
            var first = true
            for key in object.keys.sorted() {
                let prefix = inline && first ? "" : pad
                first = false
                let child = object[key]!
                if child.isCollection {
                    out += "\(prefix)\(scalar(.string(key))):\n"
                    emit(child, indent: child.isArray ? indent : indent + 1, into: &out, inline: false)
                } else {
                    out += "\(prefix)\(scalar(.string(key))): \(scalar(child))\n"
                }
            }
        case .array(let items) where !items.isEmpty:
            for item in items {
                if item.isCollection && !item.isArray {
                    out += "\(pad)- "
                    emit(item, indent: indent + 1, into: &out, inline: true)
                } else if item.isArray {
                    out += "\(pad)-\n"
                    emit(item, indent: indent + 1, into: &out, inline: false)
                } else {
                    out += "\(pad)- \(scalar(item))\n"
                }
            }
        default:
            out += (inline ? "" : pad) + scalar(value) + "\n"
        }
    }

    private static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let text): return quoted(text)
        case .array: return "[]"
        case .object: return "{}"
        }
    }

    /// Double-quoted (JSON escapes are valid YAML) unless the text is plainly a string.
    private static func quoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "-_./@+".contains($0) }
            && !["true", "false", "null", "yes", "no", "on", "off", "~"].contains(text.lowercased())
            && Double(text) == nil && !text.hasPrefix("-") && !text.hasPrefix("@")
        if plain { return text }
        var out = "\""
        for character in text.unicodeScalars {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if character.value < 0x20 { out += "\\x" + String(character.value, radix: 16).padding(2, left: "0") } else { out.unicodeScalars.append(character) }
            }
        }
        return out + "\""
    }
}

private extension JSONValue {
    var isCollection: Bool {
        switch self {
        case .object(let object): !object.isEmpty
        case .array(let items): !items.isEmpty
        default: false
        }
    }

    var isArray: Bool { if case .array(let items) = self { !items.isEmpty } else { false } }
}

private extension String {
    func padding(_ width: Int, left: Character) -> String {
        count >= width ? self : String(repeating: left, count: width - count) + self
    }
}

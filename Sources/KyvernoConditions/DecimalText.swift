/// The signed decimal numbers that start Go durations and Kubernetes quantities ("-1.5h", "+2Gi", ".5").
enum DecimalText {
    /// Removes a leading "+" or "-" and returns the sign it stood for.
    static func takeSign(_ text: inout Substring) -> Double {
        guard let first = text.first, first == "-" || first == "+" else { return 1 }
        text = text.dropFirst()
        return first == "-" ? -1 : 1
    }

    /// Removes a leading unsigned decimal (digits with at most one ".", at least one digit) and returns it.
    static func takeNumber(_ text: inout Substring) -> Double? {
        let number = text.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard number.contains(where: \.isNumber), number.filter({ $0 == "." }).count <= 1,
              let value = Double(number.hasPrefix(".") ? "0" + number : String(number)) else { return nil }
        text = text.dropFirst(number.count)
        return value
    }
}

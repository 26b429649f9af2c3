/// The records of a pax extended header ("%d %s=%s\n": length of the whole record, keyword, value).
/// Only `path` and `size` matter here; the reader ignores the other keywords (times, owners, xattrs),
/// and `linkpath` belongs to links, which it refuses anyway.
/// https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_03
struct PAXRecords {
    /// nil when not given, or given with an empty value (which means "use the header's field").
    private(set) var path: [UInt8]?
    private(set) var size: Int?
    private(set) var setsPathOrSize = false

    init(parsing data: [UInt8], at offset: Int) throws(ArchiveError) {
        func malformed(_ problem: String) -> ArchiveError {
            ArchiveError("pax extended header at offset \(offset) is malformed: \(problem)")
        }
        var rest = data[...]
        while !rest.isEmpty {
            // Decimal length, a space, then "keyword=value\n"; the length counts the whole record.
            let digits = rest.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            guard !digits.isEmpty, digits.count <= 18, rest.dropFirst(digits.count).first == UInt8(ascii: " "),
                  let length = Int(String(decoding: digits, as: UTF8.self)),
                  length > digits.count + 1, length <= rest.count
            else { throw malformed("bad record length") }
            let record = rest.prefix(length)
            rest = rest.dropFirst(length)
            guard record.last == UInt8(ascii: "\n") else { throw malformed("record does not end in a newline") }
            let body = record.dropFirst(digits.count + 1).dropLast()
            guard let equals = body.firstIndex(of: UInt8(ascii: "=")), equals > body.startIndex else {
                throw malformed("record has no keyword")
            }
            let keyword = String(decoding: body[..<equals], as: UTF8.self)
            let value = body[(equals + 1)...]
            switch keyword {
            case "path":
                setsPathOrSize = true
                path = value.isEmpty ? nil : Array(value)
            case "size":
                setsPathOrSize = true
                guard !value.isEmpty else { size = nil; continue }
                guard value.count <= 18, value.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                      let number = Int(String(decoding: value, as: UTF8.self))
                else { throw malformed("size \(ArchivePath.quoted(value)) is not a decimal number") }
                size = number
            default:
                continue
            }
        }
    }
}

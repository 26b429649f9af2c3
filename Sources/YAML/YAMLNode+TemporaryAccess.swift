// Temporary: replaced by the real accessors when the libyaml reader lands.
extension YAMLNode {
    public subscript(key: String) -> YAMLNode? { nil }
    public var string: String? { nil }
    public var line: Int { 0 }
}

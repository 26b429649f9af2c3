import Foundation
import OCI
import Testing

/// `JSONValue` carries documents whose unknown fields must survive a read-modify-write (docker's config.json).
@Suite struct JSONValueTests {
    static func decode(_ json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }

    static func encode(_ value: JSONValue) throws -> String {
        String(decoding: try JSONEncoder.stable.encode(value), as: UTF8.self)
    }

    /// Input in sorted-key compact form, so the stable encoding must reproduce it byte for byte.
    @Test(arguments: [
        #"{}"#,
        #"[]"#,
        #"null"#,
        #"true"#,
        #"false"#,
        #"0"#,
        #"-17"#,
        #"1.5"#,
        #"-0.25"#,
        #""text""#,
        #"{"a":null,"b":false,"c":[1,2.5,"x",null,true,[],{}],"d":{"e":{"f":[{"g":"h"}]}}}"#,
        #"{"auths":{"https://index.docker.io/v1/":{"auth":"dXNlcjpwYXNz"}},"credsStore":"desktop","proxies":{"default":{"noProxy":"*.local"}}}"#,
        #"{"emoji":"🐳","escaped":"quote \" backslash \\ newline \n","unicode":"café"}"#,
        #"{"big":4294967296,"negative":-9007199254740991,"size":2896510}"#,
    ])
    func roundTripsExactly(_ json: String) throws {
        let value = try Self.decode(json)
        #expect(try Self.encode(value) == json)
        #expect(try Self.decode(try Self.encode(value)) == value)
    }

    @Test func keepsTypesApart() throws {
        let value = try Self.decode(#"{"t":true,"one":1,"s":"1","n":null,"a":[false],"o":{}}"#)
        #expect(value["t"] == .bool(true))
        #expect(value["one"] == .number(1))
        #expect(value["s"] == .string("1"))
        #expect(value["n"] == .null)
        #expect(value["a"] == .array([.bool(false)]))
        #expect(value["o"] == .object([:]))
        #expect(value["missing"] == nil)
        #expect(value["s"]?.stringValue == "1")
        #expect(value["one"]?.stringValue == nil)
        #expect(value["o"]?.objectValue == [:])
    }

    @Test func numbersSurviveByValue() throws {
        for json in ["1e300", "1.0000000000000002", "-1e-10", "123456789012345678", "0.1"] {
            let value = try Self.decode(json)
            #expect(try Self.decode(try Self.encode(value)) == value, "\(json)")
        }
        #expect(try Self.encode(.number(3.0)) == "3", "whole numbers print without a fraction")
    }

    @Test func subscriptEditsKeepOtherFields() throws {
        var value = try Self.decode(#"{"auths":{"a":{"auth":"x"}},"credHelpers":{"gcr.io":"gcloud"},"experimental":"enabled"}"#)
        var auths = value["auths"]?.objectValue ?? [:]
        auths["b"] = .object(["auth": .string("y")])
        value["auths"] = .object(auths)
        value["experimental"] = nil
        #expect(try Self.encode(value) == #"{"auths":{"a":{"auth":"x"},"b":{"auth":"y"}},"credHelpers":{"gcr.io":"gcloud"}}"#)

        var scalar = JSONValue.string("x")
        scalar["key"] = .null
        #expect(scalar == .string("x"), "setting a key on a non-object changes nothing")
    }

    @Test func slashesAreNotEscaped() throws {
        #expect(try Self.encode(.string("https://index.docker.io/v1/")) == #""https://index.docker.io/v1/""#)
    }

    @Test(arguments: ["", "{", "{'a':1}", "nul", "[1 2]"])
    func rejectsInvalidJSON(_ json: String) {
        #expect(throws: (any Error).self) { try Self.decode(json) }
    }
}

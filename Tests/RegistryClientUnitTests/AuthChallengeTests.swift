@testable import RegistryClient
import Testing

/// `WWW-Authenticate` challenges as registries send them (RFC 7235; distribution's token authentication).
@Suite struct AuthChallengeTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let header: String
        let scheme: AuthChallenge.Scheme
        let parameters: [String: String]
        var testDescription: String { header }
    }

    static let parsed: [Row] = [
        Row(header: #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull""#,
            scheme: .bearer,
            parameters: ["realm": "https://auth.docker.io/token", "service": "registry.docker.io", "scope": "repository:library/alpine:pull"]),
        // A comma inside quotes belongs to the value.
        Row(header: #"Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/repo:pull,push""#,
            scheme: .bearer, parameters: ["realm": "https://ghcr.io/token", "service": "ghcr.io", "scope": "repository:org/repo:pull,push"]),
        Row(header: #"Bearer realm="https://r.example/token", service="r.example" , scope="repository:a:pull""#,
            scheme: .bearer, parameters: ["realm": "https://r.example/token", "service": "r.example", "scope": "repository:a:pull"]),
        Row(header: #"Bearer realm="https://r.example/token",error="insufficient_scope",error_description="say \"hi\" \\ bye""#,
            scheme: .bearer, parameters: ["realm": "https://r.example/token", "error": "insufficient_scope", "error_description": #"say "hi" \ bye"#]),
        Row(header: "Bearer realm=https://r.example/token,service=r.example", scheme: .bearer,
            parameters: ["realm": "https://r.example/token", "service": "r.example"]),
        Row(header: #"Basic realm="Registry Realm""#, scheme: .basic, parameters: ["realm": "Registry Realm"]),
        Row(header: #"basic realm="x""#, scheme: .basic, parameters: ["realm": "x"]),
        Row(header: #"BEARER Realm="https://r.example/token",SERVICE="s""#, scheme: .bearer,
            parameters: ["realm": "https://r.example/token", "service": "s"]),
        Row(header: #"  Bearer realm="https://r.example/token"  "#, scheme: .bearer, parameters: ["realm": "https://r.example/token"]),
        Row(header: "Basic", scheme: .basic, parameters: [:]),
        Row(header: #"Bearer realm="""#, scheme: .bearer, parameters: ["realm": ""]),
    ]

    @Test(arguments: parsed)
    func parsesChallenges(_ row: Row) throws {
        let challenge = try #require(AuthChallenge(header: row.header))
        #expect(challenge.scheme == row.scheme)
        #expect(challenge.parameters == row.parameters)
        #expect(challenge.realm == row.parameters["realm"])
        #expect(challenge.service == row.parameters["service"])
        #expect(challenge.scope == row.parameters["scope"])
    }

    @Test(arguments: ["", "   ", #"Digest realm="x", nonce="y""#, "Negotiate", #"NTLM"#, #"Bearers realm="x""#, #"realm="x""#])
    func schemesOcitoolCannotAnswerAreIgnored(_ header: String) {
        #expect(AuthChallenge(header: header) == nil)
    }

    @Test func scopesUseTheTokenServiceSyntax() {
        #expect(AuthScope.pull("library/alpine").description == "repository:library/alpine:pull")
        #expect(AuthScope.push("org/repo").description == "repository:org/repo:pull,push")
    }
}

/// What a `Basic` challenge is answered with (RFC 7617).
@Suite struct BasicAuthorizationTests {
    @Test(arguments: [
        (Credential.basic(username: "Aladdin", password: "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        (.basic(username: "user", password: "pa:ss"), "Basic dXNlcjpwYTpzcw=="),
        (.basic(username: "jürgen", password: ""), "Basic asO8cmdlbjo="),
    ])
    func encodesUserAndPassword(_ credential: Credential, _ header: String) {
        #expect(credential.basicAuthorization == header)
    }

    @Test func identityTokensAreNotSentAsBasic() {
        #expect(Credential.identityToken("refresh").basicAuthorization == nil)
    }
}

@testable import RegistryClient
import Testing

/// Tag-list pagination: the next page is the `rel="next"` target of the `Link` header (RFC 8288).
@Suite struct LinkHeaderTests {
    @Test(arguments: [
        (#"</v2/x/tags/list?last=a&n=2>; rel="next""#, "/v2/x/tags/list?last=a&n=2"),
        (#"<https://registry.example/v2/x/tags/list?n=2&last=b>; rel="next""#, "https://registry.example/v2/x/tags/list?n=2&last=b"),
        (#"</v2/x/tags/list?last=a&n=2>;rel="next""#, "/v2/x/tags/list?last=a&n=2"),
        ("</v2/x/tags/list?last=a>; rel=next", "/v2/x/tags/list?last=a"),
        (#"</v2/x/tags/list?last=a>; rel = "next""#, "/v2/x/tags/list?last=a"),
        (#"</first>; rel="prev", </second>; rel="next""#, "/second"),
        (#"</second>; rel="next", </third>; rel="next""#, "/second"),
        (#"</page>; title="more"; rel="next""#, "/page"),
        (#"  </v2/x/tags/list?last=a>  ;  rel="next"  "#, "/v2/x/tags/list?last=a"),
    ])
    func findsTheNextPage(_ header: String, _ next: String) {
        #expect(RegistryClient.nextLink(header) == next)
    }

    @Test(arguments: [
        "",
        #"</v2/x/tags/list?last=a>; rel="prev""#,
        #"</v2/x/tags/list?last=a>; rel="first", </v2/x/tags/list?last=z>; rel="last""#,
        "</v2/x/tags/list?last=a>",
        #"/v2/x/tags/list?last=a; rel="next""#,
        #"</v2/x/tags/list?last=a>; rel="nextpage""#,
    ])
    func noNextPage(_ header: String) {
        #expect(RegistryClient.nextLink(header) == nil)
    }
}

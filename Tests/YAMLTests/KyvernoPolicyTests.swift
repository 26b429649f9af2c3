import Testing
import YAML

/// A file of Kyverno policies, as ocitool reads them before pushing each one.
@Suite struct KyvernoPolicyTests {
    static let clusterPolicy = """
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata:
          name: disallow-latest-tag
          annotations:
            policies.kyverno.io/title: Disallow Latest Tag
            policies.kyverno.io/description: >-
              The ':latest' tag is mutable and can lead to unexpected errors if the
              image changes.

              Pin images to a tag or digest.
        spec:
          validationFailureAction: Audit
          background: true
          rules:
          - name: require-image-tag
            match:
              any:
              - resources:
                  kinds:
                  - Pod
            validate:
              message: |
                An image tag is required.
                  (indented line, kept)
              pattern:
                spec:
                  containers:
                  - image: "*:*"

        """

    static let policy = """
        apiVersion: kyverno.io/v1
        kind: Policy
        metadata:
          name: add-labels
          namespace: team-a   # namespaced
        spec:
          rules:
          - name: add-team
            mutate:
              patchStrategicMerge:
                metadata:
                  labels:
                    team: a

        """

    static let file = "# Policies for the platform.\n---\n" + clusterPolicy + "\n# next: namespaced\n---\n" + policy + "...\n"

    @Test func eachPolicyIsADocumentWithItsExactSource() throws {
        let documents = try YAMLParser.documents(in: Self.file)
        #expect(documents.map(\.index) == [0, 1])
        #expect(documents.map(\.line) == [3, 35])
        #expect(Array(documents[0].source.utf8) == Array(Self.clusterPolicy.utf8))
        #expect(Array(documents[1].source.utf8) == Array(Self.policy.utf8))
    }

    @Test func theTreeReadsLikeThePolicy() throws {
        let root = try #require(YAMLParser.documents(in: Self.file).first?.root)
        #expect(root["kind"]?.string == "ClusterPolicy")
        #expect(root["metadata"]?["name"]?.string == "disallow-latest-tag")
        #expect(root["metadata"]?["annotations"]?["policies.kyverno.io/description"]?.string
            == "The ':latest' tag is mutable and can lead to unexpected errors if the image changes.\nPin images to a tag or digest.")
        #expect(root["spec"]?["background"]?.string == "true")
        let rule = try #require(root["spec"]?["rules"]?.sequence?.first)
        #expect(rule.line == 18)
        #expect(rule["name"]?.string == "require-image-tag")
        #expect(rule["match"]?["any"]?.sequence?.first?["resources"]?["kinds"]?.sequence?.map(\.string) == ["Pod"])
        #expect(rule["validate"]?["message"]?.string == "An image tag is required.\n  (indented line, kept)\n")
        #expect(rule["validate"]?["pattern"]?["spec"]?["containers"]?.sequence?.first?["image"]?.string == "*:*")
        #expect(root.mapping?.map { $0.key.string } == ["apiVersion", "kind", "metadata", "spec"])
    }

    @Test func reparsingEachPolicyAloneGivesTheSameTree() throws {
        for document in try YAMLParser.documents(in: Self.file) {
            let alone = try YAMLParser.documents(in: document.source)
            #expect(alone.count == 1)
            #expect(alone.first?.root?.shifted(by: document.line - 1) == document.root)
        }
    }

    @Test func policiesParseConcurrently() async throws {
        let expected = try YAMLParser.documents(in: Self.file)
        let results = await withTaskGroup(of: [YAMLDocument]?.self) { group in
            for _ in 0..<8 {
                group.addTask { try? YAMLParser.documents(in: Self.file) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == expected })
    }

    @Test func crlfPoliciesKeepTheirLineEndings() throws {
        let crlf = Self.file.replacing("\n", with: "\r\n")
        let documents = try YAMLParser.documents(in: crlf)
        #expect(documents.map(\.line) == [3, 35])
        #expect(Array(documents[1].source.utf8) == Array(Self.policy.replacing("\n", with: "\r\n").utf8))
        #expect(documents.map { $0.root?.shape } == (try YAMLParser.documents(in: Self.file)).map { $0.root?.shape })
    }
}

import KyvernoConditions
import OCI
import Testing
import TestSupport

/// Conditions as policies write them for SLSA provenance (v0.2 and v1), over the fixtures' predicates.
@Suite struct ProvenanceConditionsTests {
    @Test func theContextIsThePredicateNotTheStatement() throws {
        let statement = try Fixtures.statement("slsa-provenance-v0.2.json")
        let context = try AttestationConditions.context(forStatement: statement)
        #expect(context == statement["predicate"])
        #expect(context["predicateType"] == nil)
        #expect(context["subject"] == nil)
        // So `{{ predicateType }}` selects nothing, and the condition fails.
        let result = try outcome(#"[{"all": [{"key": "{{ predicateType }}", "operator": "Equals", "value": "https://slsa.dev/provenance/v0.2"}]}]"#, over: context)
        #expect(!result.passed)
    }

    @Test func theEngineCanAddImageFieldsNextToThePredicate() throws {
        let image = json(#"{"registry": "registry.example.test", "path": "shop/cart", "tag": "1.4.0"}"#)
        let context = try AttestationConditions.context(forStatement: Fixtures.statement("slsa-provenance-v0.2.json"),
                                                        adding: ["image": image, "buildType": .string("overridden")])
        #expect(context["image"] == image)
        #expect(context["buildType"] == .string("overridden"))
        #expect(context["builder"] != nil)
        let conditions = #"[{"all": [{"key": "{{ image.registry }}/{{ image.path }}", "operator": "Equals", "value": "registry.example.test/shop/*"}]}]"#
        #expect(try outcome(conditions, over: context).passed)
    }

    @Test func aStatementWithoutAPredicateObjectIsAnError() {
        #expect {
            _ = try AttestationConditions.context(forStatement: json(#"{"_type": "https://in-toto.io/Statement/v1", "predicate": "text"}"#))
        } throws: { error in
            "\(error)" == "statement: the in-toto statement has no 'predicate' object to evaluate conditions over"
        }
    }

    @Test(arguments: [
        // Trusted builder, pinned by tag, from the expected source repository, on a push to main.
        (#"""
            [{"all": [
            {"key": "{{ builder.id }}", "operator": "Equals", "value": "https://github.com/example-org/build-workflows/.github/workflows/container.yml@refs/tags/v*"},
            {"key": "{{ buildType }}", "operator": "Equals", "value": "https://github.com/slsa-framework/slsa-github-generator/container@v1"},
            {"key": "{{ invocation.configSource.uri }}", "operator": "Equals", "value": "git+https://github.com/example-org/*"},
            {"key": "{{ invocation.parameters.event_name }}", "operator": "AnyIn", "value": ["push", "release"]},
            {"key": "{{ invocation.environment.github_ref }}", "operator": "Equals", "value": "refs/heads/main"}
            ]}]
            """#, true),
        (#"[{"all": [{"key": "{{ builder.id }}", "operator": "Equals", "value": "https://github.com/other-org/*"}]}]"#, false),
        (#"[{"all": [{"key": "{{ metadata.completeness.parameters }}", "operator": "Equals", "value": true}]}]"#, true),
        (#"[{"all": [{"key": "{{ metadata.reproducible }}", "operator": "Equals", "value": true}]}]"#, false),
        (#"[{"all": [{"key": "{{ materials[].uri }}", "operator": "AnyIn", "value": ["pkg:docker/golang@*"]}]}]"#, true),
        (#"[{"all": [{"key": "{{ materials[].uri }}", "operator": "AllIn", "value": ["git+https://github.com/example-org/*", "pkg:docker/*"]}]}]"#, true),
        (#"[{"all": [{"key": "{{ materials[].uri }}", "operator": "AllIn", "value": ["git+https://github.com/example-org/*"]}]}]"#, false),
        (#"[{"all": [{"key": "{{ length(materials) }}", "operator": "LessThanOrEquals", "value": 2}]}]"#, true),
        (#"[{"all": [{"key": "{{ materials[?starts_with(uri, 'pkg:docker/')] | length(@) }}", "operator": "Equals", "value": 1}]}]"#, true),
        (#"""
            [{"any": [
            {"key": "{{ invocation.environment.github_runner_os }}", "operator": "Equals", "value": "Windows"},
            {"key": "{{ invocation.environment.github_run_attempt }}", "operator": "LessThan", "value": 3}
            ]}]
            """#, true),
    ])
    func slsaV02(conditions: String, passes: Bool) throws {
        #expect(try outcome(conditions, over: Fixtures.predicate("slsa-provenance-v0.2.json")).passed == passes)
    }

    @Test(arguments: [
        (#"""
            [{"all": [
            {"key": "{{ runDetails.builder.id }}", "operator": "Equals", "value": "https://github.com/actions/runner/github-hosted"},
            {"key": "{{ buildDefinition.buildType }}", "operator": "Equals", "value": "https://actions.github.io/buildtypes/workflow/v1"},
            {"key": "{{ buildDefinition.externalParameters.workflow.repository }}", "operator": "Equals", "value": "https://github.com/example-org/payments"},
            {"key": "{{ buildDefinition.externalParameters.workflow.ref }}", "operator": "Equals", "value": "refs/tags/v*"},
            {"key": "{{ buildDefinition.internalParameters.github.runner_environment }}", "operator": "NotEquals", "value": "self-hosted"}
            ]}]
            """#, true),
        (#"[{"all": [{"key": "{{ buildDefinition.externalParameters.workflow.ref }}", "operator": "Equals", "value": "refs/heads/main"}]}]"#, false),
        (#"[{"all": [{"key": "{{ runDetails.builder.version.runner }}", "operator": "GreaterThanOrEquals", "value": "2.317.0"}]}]"#, true),
        (#"[{"all": [{"key": "{{ runDetails.builder.version.runner }}", "operator": "GreaterThan", "value": "2.320.0"}]}]"#, false),
        (#"[{"all": [{"key": "{{ buildDefinition.resolvedDependencies[].digest.gitCommit }}", "operator": "AnyIn", "value": ["1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"]}]}]"#, true),
        (#"[{"all": [{"key": "{{ runDetails.byproducts[].name }}", "operator": "AnyIn", "value": ["*.spdx.json"]}]}]"#, true),
        (#"[{"all": [{"key": "{{ runDetails.byproducts[].name }}", "operator": "AllNotIn", "value": ["*.spdx.json", "*.cdx.json"]}]}]"#, false),
        (#"[{"all": [{"key": "built from {{ buildDefinition.externalParameters.workflow.path }}", "operator": "Equals", "value": "built from .github/workflows/release.yml"}]}]"#, true),
    ])
    func slsaV1(conditions: String, passes: Bool) throws {
        #expect(try outcome(conditions, over: Fixtures.predicate("slsa-provenance-v1.json")).passed == passes)
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OCI

/// Docker's `config.json` credential store, read and written the way docker does
/// (docker/cli: cli/config/configfile): `auths.<host>.auth` = base64(user:password), optional
/// `identitytoken`; `credHelpers.<host>` and `credsStore` name `docker-credential-<name>` programs.
public struct DockerConfigCredentials: CredentialProvider {
    /// The file in use (which may not exist yet).
    public let path: String
    private let document: JSONValue

    /// Locates the file: explicit path, else `$REGISTRY_AUTH_FILE`, else `$DOCKER_CONFIG/config.json`,
    /// else `~/.docker/config.json`. A missing file means no credentials; an unreadable or invalid one is an error.
    public init(explicitPath: String? = nil, environment: [String: String]) throws(RegistryError) {
        let path = Self.locate(explicitPath: explicitPath, environment: environment)
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw .invalidCredentialsFile(path: path, message: "cannot read it (check its permissions)")
            }
            document = .object([:])
            return
        }
        do { document = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw .invalidCredentialsFile(path: path, message: "not a valid docker config.json (invalid JSON)")
        }
        guard document.objectValue != nil else { throw .invalidCredentialsFile(path: path, message: "not a valid docker config.json (expected a JSON object)") }
    }

    static func locate(explicitPath: String?, environment: [String: String]) -> String {
        if let explicitPath, !explicitPath.isEmpty { return explicitPath }
        if let file = environment["REGISTRY_AUTH_FILE"], !file.isEmpty { return file }
        if let dir = environment["DOCKER_CONFIG"], !dir.isEmpty { return dir + "/config.json" }
        return (environment["HOME"] ?? "/root") + "/.docker/config.json"
    }

    /// Docker Hub's credentials are stored under its legacy index URL.
    static func storageKeys(for registry: String) -> [String] {
        if registry == Reference.dockerHub {
            return ["https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io"]
        }
        return [registry, "https://\(registry)", "http://\(registry)", "https://\(registry)/v1/", "https://\(registry)/v2/"]
    }

    public func credential(for registry: String) throws(RegistryError) -> Credential? {
        let keys = Self.storageKeys(for: registry)
        if let helpers = document["credHelpers"]?.objectValue {
            for key in keys {
                if let helper = helpers[key]?.stringValue { return try CredentialHelper(name: helper).get(serverURL: key) }
            }
        }
        if let auths = document["auths"]?.objectValue {
            for key in keys {
                guard let entry = auths[key] else { continue }
                if let token = entry["identitytoken"]?.stringValue, !token.isEmpty { return .identityToken(token) }
                if let auth = entry["auth"]?.stringValue, !auth.isEmpty { return try decodeAuth(auth, key: key) }
                if let user = entry["username"]?.stringValue, let password = entry["password"]?.stringValue {
                    return .basic(username: user, password: password)
                }
            }
        }
        if let store = document["credsStore"]?.stringValue, !store.isEmpty {
            return try CredentialHelper(name: store).get(serverURL: keys[0])
        }
        return nil
    }

    private func decodeAuth(_ auth: String, key: String) throws(RegistryError) -> Credential {
        guard let data = Data(base64Encoded: auth), let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":") else {
            throw .invalidCredentialsFile(path: path, message: "auths.\"\(key)\".auth is not base64 of USER:PASSWORD")
        }
        return .basic(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }

    /// Stores `username`/`password` for `registry` as `docker login` does: in the configured credential helper
    /// when there is one, else base64 in `auths`, keeping every other field; written atomically with mode 0600.
    public func storing(username: String, password: String, for registry: String) throws(RegistryError) {
        let key = Self.storageKeys(for: registry)[0]
        let helper = document["credHelpers"]?.objectValue?[key]?.stringValue ?? document["credsStore"]?.stringValue
        if let helper, !helper.isEmpty {
            try CredentialHelper(name: helper).store(serverURL: key, username: username, secret: password)
            return
        }
        var updated = document
        var auths = updated["auths"]?.objectValue ?? [:]
        var entry = auths[key]?.objectValue ?? [:]
        entry["auth"] = .string(Data("\(username):\(password)".utf8).base64EncodedString())
        entry["identitytoken"] = nil
        auths[key] = .object(entry)
        updated["auths"] = .object(auths)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try AtomicFile.write(try encoder.encode(updated), to: path, permissions: 0o600)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw .io(path: path, message: "\(error)")
        }
    }
}

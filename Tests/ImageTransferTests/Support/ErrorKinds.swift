import ImageTransfer

extension ContentError {
    /// The case, without its values, for table-driven expectations.
    var kind: String {
        switch self {
        case .registry: "registry"
        case .notALayout: "notALayout"
        case .invalidLayout: "invalidLayout"
        case .nameNotFound: "nameNotFound"
        case .ambiguousName: "ambiguousName"
        case .notFound: "notFound"
        case .invalidContent: "invalidContent"
        case .io: "io"
        case .invalidLayoutReference: "invalidLayoutReference"
        case .cancelled: "cancelled"
        }
    }
}

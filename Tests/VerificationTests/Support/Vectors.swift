import TestSupport
import Foundation
import Testing

extension StoredCosignLayer {
    /// The layer to put in a `.sig` manifest: mediaType = mimeType, blob = the decoded payload.
    var layer: RawLayer { RawLayer(mediaType: mimeType, blob: payload, annotations: annotations) }
}

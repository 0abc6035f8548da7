import Directory
import GBCore

extension Authorizer {
    /// Whether an upper platform (the province) sees a camera in our virtual catalog. The rule of 004
    /// §3.3: the city's class-1 cameras that are shared without conditions are pushed to the provincial
    /// sharing platform; a camera with error-level findings or removed is not pushed. Per-upper grants
    /// beyond this default come with the upper as a principal of its own (CASCADE.md §2).
    public func upperPlatformSees(_ camera: CameraFacts, pointClass: String) -> Bool {
        camera.shareable && camera.shareAttribute == .unconditional && pointClass.trimmingCharacters(in: .whitespaces) == "1"
    }
}

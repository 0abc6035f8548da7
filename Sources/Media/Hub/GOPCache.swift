/// The frames since the last video keyframe, so a viewer joining a running stream starts decoding at
/// once instead of waiting up to a GOP (the issue: "a viewer joining a running stream starts at the last
/// keyframe at once"). Bounded: a GOP larger than the bounds empties the cache until the next keyframe.
struct GOPCache {
    let maxBytes: Int
    let maxFrames: Int
    private(set) var frames: [MediaFrame] = []
    private(set) var bytes = 0
    private(set) var overflows = 0

    init(maxBytes: Int, maxFrames: Int) {
        self.maxBytes = maxBytes
        self.maxFrames = maxFrames
    }

    /// True when the cache starts at a keyframe (it is empty otherwise).
    var isValid: Bool { !frames.isEmpty }

    mutating func append(_ frame: MediaFrame) {
        if frame.isVideo && frame.isKeyframe {
            clear()
        } else if frames.isEmpty {
            return
        }
        frames.append(frame)
        bytes += frame.data.count
        if frames.count > maxFrames || bytes > maxBytes {
            overflows += 1
            clear()
        }
    }

    mutating func clear() {
        frames.removeAll(keepingCapacity: true)
        bytes = 0
    }
}

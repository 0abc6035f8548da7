import NIOCore
import SIP

extension GBPlatformService {
    /// MANSRTSP to a device in an established playback or download session (spec §5.2, Annex B: PLAY
    /// with Range to seek, Scale for speed, PAUSE, TEARDOWN): an INFO in the session's dialog with
    /// Content-Type Application/MANSRTSP. Returns the device's status code (2xx: done). The body is sent
    /// as given; the caller (a viewer's control, or an upper platform's INFO relayed down) parsed it.
    public func playbackControl(_ id: MediaSessionID, body: [UInt8]) async throws(MediaSessionError) -> Int {
        guard var active = media.active[id] else { throw .unknownSession(id) }
        let endpoint = currentEndpoint(active.endpoint)
        // The dialog's CSeq rises with each INFO: stored back before anything is awaited.
        var request = active.dialog.nextRequest(.info, via: requests.via(endpoint.transport), body: ByteBuffer(bytes: body),
                                                contentType: Self.mansrtspContentType)
        media.active[id] = active
        request.headers.add("User-Agent", configuration.userAgent)
        return try await sendInDialog(request, to: endpoint, deviceID: active.session.deviceID).statusCode
    }

    public static let mansrtspContentType = "Application/MANSRTSP"
}

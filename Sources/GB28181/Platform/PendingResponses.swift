import Foundation

/// Correlation key of a MANSCDP answer: CmdType and SN (spec §3.1). SNs are allocated by this platform and
/// unique across devices, so the device is checked after the lookup rather than being part of the key: a
/// device may answer on a new Call-ID (sipp does, so do cameras), and may name a channel in DeviceID.
struct ResponseKey: Hashable, Sendable {
    var cmdType: String
    var sn: Int

    init(_ cmdType: MANSCDPCmdType, sn: Int) {
        self.cmdType = cmdType.name.lowercased()
        self.sn = sn
    }
}

/// A query waiting for one Response (DeviceInfo, DeviceStatus, PresetQuery, a control Result).
struct SingleResponseWait {
    var deviceID: String
    var targetID: String
    var continuation: CheckedContinuation<MANSCDPResponse, any Error>
    var timer: Task<Void, Never>?
}

/// A catalog answer being assembled (spec §3.6), with everyone waiting for it.
struct CatalogCollection {
    var assembler: CatalogAssembler
    var waiters: [CheckedContinuation<CatalogSyncResult, any Error>] = []
    var startedAt: Date
    var lastProgressReport: ContinuousClock.Instant
}

/// A RecordInfo answer being assembled (spec §3.7).
struct RecordCollection {
    var assembler: RecordInfoAssembler
    var targetID: String
    var continuation: CheckedContinuation<RecordInfoResult, any Error>
}

/// Everything the service waits for, owned by the service actor.
struct PendingResponses {
    var single: [ResponseKey: SingleResponseWait] = [:]
    var catalogs: [ResponseKey: CatalogCollection] = [:]
    /// The running catalog assembly of each device, so a second refresh joins it instead of starting another.
    var catalogByDevice: [String: ResponseKey] = [:]
    var records: [ResponseKey: RecordCollection] = [:]
}

/// The assembled answer to a RecordInfo query: recordings sorted by start time, and whether SumNum was reached.
public struct RecordInfoResult: Sendable, Equatable {
    public var deviceID: String
    public var channelID: String
    public var sn: Int
    public var items: [RecordItem]
    /// Overlapping or touching recordings merged, for a timeline.
    public var timeline: [RecordSpan]
    public var completion: CatalogCompletion
    public var progress: AssemblyProgress
}

import Fluent
import Foundation
import GB28181
import Logging
import SQLKit
import Sharing
import Synchronization
import Vapor

/// The running links to this node's upper platforms: started with signalling from the stored
/// records, restarted when a record changes, their state kept for the API and their history in
/// `upper_platform_events`.
final class UpperLinks: Sendable {
    private let states = Mutex<[String: UpperLinkState]>([:])
    private let links = Mutex<[String: UpperLink]>([:])
    private let watcher = Mutex<Task<Void, Never>?>(nil)
    /// What each upper was last sent of the catalog (shared by its queries' answers and the NOTIFYs).
    private let sent = SentUpperCatalogs()
    private let logger = Logger(label: "gbshare.cascade")
    /// How often the directory is checked for changes to NOTIFY subscribed uppers of.
    static let changeCheckInterval: Duration = .seconds(1)

    /// The state of one link as last reported (idle when not linked).
    func state(of platformID: String) -> UpperLinkState { states.withLock { $0[platformID] } ?? .idle }

    /// Links every enabled upper platform (at start-up).
    func start(_ app: Application) async throws {
        for record in try await UpperPlatformModel.query(on: app.db).filter(\.$enabled == true).all() {
            await link(record, app: app)
        }
        guard let service = app.signalling?.service else { return }
        let catalog = catalog(app, service)
        let changes = UpperCatalogWatcher(database: app.db, catalog: catalog, audit: app.sharing.audit)
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.changeCheckInterval)
                guard let self, !Task.isCancelled else { return }
                await changes.tick(self.links.withLock { $0 })
            }
        }
        watcher.withLock { $0?.cancel(); $0 = task }
    }

    /// Stops watching for catalog changes (the links themselves stop with signalling).
    func stop() {
        watcher.withLock { $0?.cancel(); $0 = nil }
    }

    /// The virtual catalog every link and the change watcher read (one record of what each upper was sent).
    private func catalog(_ app: Application, _ service: GBPlatformService) -> DirectoryUpperCatalog {
        DirectoryUpperCatalog(database: app.db, sharing: app.sharing, parentID: service.configuration.platformID, sent: sent)
    }

    /// A device's alarm, to every upper that subscribed to alarms and may see the camera it concerns
    /// (the alarm's source when it is a filed camera, else the device that reported it). What goes up is
    /// on record first, with the upper as the actor.
    func forwardAlarm(_ report: AlarmReport, sharing: SharingService) async {
        let linked = links.withLock { $0 }
        guard !linked.isEmpty else { return }
        var subscribed: [(String, UpperLink)] = []
        for (id, link) in linked where await link.hasAlarmSubscription { subscribed.append((id, link)) }
        guard !subscribed.isEmpty else { return }
        let camera: CameraFacts?
        if let source = try? await sharing.camera(code: report.alarm.deviceID) {
            camera = source
        } else {
            camera = try? await sharing.camera(code: report.deviceID)
        }
        guard let camera else { return }
        for (id, link) in subscribed where sharing.upperPlatformSees(camera, upperID: id) {
            do {
                _ = try await sharing.audit.append(AuditDraft(actor: "upper:\(id)", action: .upperAlarmSent, camera: camera.code,
                                                              detail: "source=\(report.alarm.deviceID) method=\(report.alarm.alarmMethod ?? "")"))
                await link.notifyAlarm(report.alarm)
            } catch {
                logger.error("alarm for upper \(id) not sent: it could not be recorded", metadata: ["error": "\(error)"])
            }
        }
    }

    /// (Re)links one upper platform as its record now says; a disabled one is only unlinked.
    func link(_ record: UpperPlatformModel, app: Application) async {
        guard let service = app.signalling?.service else { return }
        guard record.enabled else { return await unlink(record.platformID, app: app) }
        guard let key = try? DeviceCredentials.loadKey(dataDirectory: app.gbshareConfig.dataDirectory),
              let password = try? await DeviceCredentials(database: app.db, key: key).password(code: UpperPlatformModel.credentialKey(record.platformID))
        else {
            logger.error("upper platform has no readable password; not linked", metadata: ["upper": "\(record.platformID)"])
            return
        }
        let catalog = catalog(app, service)
        let database = app.db
        let media: any UpperMediaProvider = app.liveMedia.map {
            UpperMediaRelay(sharing: app.sharing, hub: $0.hub, source: $0.source, mediaHost: $0.mediaHost, bindHost: app.gbshareConfig.sipHost)
        } ?? NoUpperMedia()
        let commands = UpperCommandRelay(sharing: app.sharing, database: database, service: service)
        let link = await service.linkToUpper(record.linkConfiguration(password: password), catalog: catalog, media: media,
                                             commands: commands) { [weak self] event in
            self?.record(event, database: database)
        }
        links.withLock { $0[record.platformID] = link }
    }

    func unlink(_ platformID: String, app: Application) async {
        links.withLock { $0[platformID] = nil }
        await app.signalling?.service?.unlinkUpper(platformID)
        states.withLock { $0[platformID] = nil }
    }

    private func record(_ event: UpperLinkEvent, database: any Database) {
        let (platformID, state, detail): (String, String, String)
        switch event {
        case .stateChanged(let id, let new):
            states.withLock { $0[id] = new }
            (platformID, state) = (id, new.name)
            switch new {
            case .backoff(let failure, let attempt, _): detail = "attempt \(attempt): \(failure)"
            case .refused(let failure): detail = "\(failure)"
            default: detail = ""
            }
        case .keepaliveMissed(let id, let misses):
            (platformID, state, detail) = (id, "keepalive_missed", "\(misses) in a row")
        case .catalogPushed(let id, let report):
            (platformID, state, detail) = (id, "catalog_pushed", "\(report.items) items in \(report.pages) pages, \(report.failedPages) failed")
        case .callStarted(let id, let channel, _):
            (platformID, state, detail) = (id, "call_started", channel)
        case .callEnded(let id, let channel, _, let reason):
            (platformID, state, detail) = (id, "call_ended", "\(channel): \(reason)")
        case .catalogSubscription(let id, let expires):
            (platformID, state, detail) = (id, expires > 0 ? "catalog_subscribed" : "catalog_unsubscribed", expires > 0 ? "\(expires) s" : "")
        case .catalogNotified(let id, let changes, let notifies):
            (platformID, state, detail) = (id, "catalog_notified", "\(changes) changes in \(notifies) NOTIFYs")
        case .alarmSubscription(let id, let expires):
            (platformID, state, detail) = (id, expires > 0 ? "alarm_subscribed" : "alarm_unsubscribed", expires > 0 ? "\(expires) s" : "")
        case .alarmNotified(let id, let source, let notifies):
            (platformID, state, detail) = (id, "alarm_notified", "\(source) in \(notifies) NOTIFYs")
        case .command(let id, let channel, let cmdType, let status, let reason):
            (platformID, state, detail) = (id, status == 200 ? "command_relayed" : "command_refused",
                                           "\(cmdType) \(channel)" + (status == 200 ? "" : ": \(status) \(reason)"))
        }
        Task {
            try? await database.sql().insert(into: "upper_platform_events").columns("platform_id", "at", "state", "detail")
                .values(SQLBind(platformID), SQLBind(Date()), SQLBind(state), SQLBind(detail)).run()
        }
    }
}

extension Application {
    private struct UpperLinksKey: StorageKey { typealias Value = UpperLinks }

    /// Made once in `configure` (Vapor's storage is not for writing from concurrent requests).
    var upperLinks: UpperLinks {
        get { storage[UpperLinksKey.self]! }
        set { storage[UpperLinksKey.self] = newValue }
    }
}

import FluentKit

extension Database {
    /// Runs `body` in a transaction, starting it again when SQLite says another connection committed
    /// first (SQLITE_BUSY / SQLITE_BUSY_SNAPSHOT: a deferred transaction that read, then could not
    /// write). SQLite's own remedy is to restart the transaction; a few tries with a short pause are
    /// enough for the brief writes the platform makes beside a clerk's edit (device events, cascade
    /// history). Any other error, or the last busy one, is thrown as it is.
    func transactionRetryingBusy<T: Sendable>(attempts: Int = 5, _ body: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await transaction(body)
            } catch where attempt < attempts && Self.isBusy(error) {
                try await Task.sleep(for: .milliseconds(10 * attempt))
            }
        }
    }

    static func isBusy(_ error: any Error) -> Bool {
        let text = String(describing: error).lowercased()
        return text.contains("busy") || text.contains("database is locked")
    }
}

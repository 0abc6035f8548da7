import Foundation
import Logging

/// Log lines go to standard error, at `LOG_LEVEL` (default info). Bootstrapped once per process.
enum GBShareLogging {
    private static let once: Void = {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
    }()

    static func bootstrap() { once }
}

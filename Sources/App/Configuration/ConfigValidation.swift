import Media

/// Values that parse but cannot work (a port of 70000, an unknown RTP transport), refused when the
/// settings are read rather than when the service that uses them starts.
enum ConfigValidation {
    static func validate(_ config: GBShareConfig, sources: [String: ConfigLoader.Source]) throws(ConfigError) {
        func refuse(_ name: String, _ value: String, _ expected: String) -> ConfigError {
            .invalidValue(key: name, value: value, source: (sources[name] ?? .defaultValue).description, expected: expected)
        }
        for (name, port) in [("httpPort", config.httpPort), ("sipPort", config.sipPort), ("rtpPort", config.rtpPort)]
        where !(0...65535).contains(port) {
            throw refuse(name, String(port), "a port from 0 to 65535 (0: any free port)")
        }
        let positive = [("tokenLifetimeSeconds", config.tokenLifetimeSeconds), ("lockoutThreshold", config.lockoutThreshold),
                        ("lockoutSeconds", config.lockoutSeconds), ("maxUploadMegabytes", config.maxUploadMegabytes),
                        ("auditAnchorEvery", config.auditAnchorEvery), ("keepaliveIntervalSeconds", config.keepaliveIntervalSeconds),
                        ("keepaliveMisses", config.keepaliveMisses), ("transcodeLimit", config.transcodeLimit)]
        for (name, value) in positive where value < 1 {
            throw refuse(name, String(value), "at least 1")
        }
        // bcrypt itself accepts 4...31; above 16 a login takes many seconds.
        guard (4...16).contains(config.bcryptCost) else { throw refuse("bcryptCost", String(config.bcryptCost), "from 4 to 16") }
        guard config.viewerGraceSeconds >= 0 else { throw refuse("viewerGraceSeconds", String(config.viewerGraceSeconds), "0 or more") }
        guard ["udp", "tcp-passive", "tcp", "tcp-active"].contains(config.rtpTransport.lowercased()) else {
            throw refuse("rtpTransport", config.rtpTransport, "udp, tcp-passive or tcp-active")
        }
        if let range = config.rtpPortRange, RTPIngestConfiguration.parsePortRange(range) == nil {
            throw refuse("rtpPortRange", range, "two ports like 30002-30500")
        }
        if let url = config.databaseURL, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
            throw refuse("databaseURL", DatabaseURLMask.masked(url), "a postgres://user:password@host:5432/database URL")
        }
    }
}

import ArgumentParser
import Foundation

/// `swift run -c release gbshare-bench <name>`: every performance figure the issues ask for.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gbshare-bench",
        abstract: "GBShare benchmarks; each prints its figures.",
        subcommands: [DirectoryImportBenchmark.self, DirectoryQueryBenchmark.self, AuthorizeBenchmark.self,
                      SIPRegisterBenchmark.self, CatalogBenchmark.self, SIPLoadGenerator.self, CatalogPeer.self, CascadeCatalogBenchmark.self, CascadeRelayBenchmark.self,
                      MediaRemuxBenchmark.self, MediaStreamsBenchmark.self, TranscodeBenchmark.self]
    )
}

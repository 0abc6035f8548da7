import Directory
import Foundation
import GBCore
import GBSimulator

/// Directory rows (Appendix 5 layout, as `directory export` writes and `directory import` reads) that
/// file a fleet's cameras, so a demo can import them and then watch them. Every value is made to pass
/// `directory check`: coordinates near the division's centre, pole numbers under the division,
/// addresses and IPs unique per camera.
struct SimulatedDirectoryRows {
    let configuration: SimulatedFleetConfiguration
    let layout: SimulatedFleetLayout

    func records() throws(SimulatedDirectoryError) -> [CameraRecord] {
        let division = configuration.division
        guard let centre = DivisionTable.standard.centre(code: division) else { throw .unknownDivision(division) }
        return layout.channels.enumerated().map { index, channel in
            let serial = String(channel.id.suffix(6))
            // A spiral of ~100 m steps around the centre keeps points apart and inside a county.
            let angle = Double(index) * 2.399963
            let radius = 0.001 * Double(index + 1).squareRoot()
            let values: [CameraField: String] = [
                .code: channel.id, .name: "模拟摄像机\(serial)", .division: division,
                .builder: "GBShare 模拟", .manager: "GBShare 模拟", .managerPhone: "0660-3417406",
                .contractor: "GBShare 模拟", .maintainer: "GBShare 模拟", .pointClass: "1",
                .platformCode: configuration.platformID, .department: configuration.department, .cameraType: "1",
                .networkStatus: "1", .address: "模拟安装地址\(serial)号", .positionTypes: "A0101", .coordinateSystem: "WGS84",
                .longitude: Self.surveyed(centre.longitude + radius * cos(angle)),
                .latitude: Self.surveyed(centre.latitude + radius * sin(angle)),
                .ipv4: "10.\(index / 65_024 % 256).\(index / 254 % 256).\(index % 254 + 1)",
                .mac: String(format: "02:00:00:%02x:%02x:%02x", index / 65_536 % 256, index / 256 % 256, index % 256),
                .placement: "1", .bearing: "1", .poleNumber: division + serial, .accessNetwork: "2", .retentionDays: "90",
                .shareAttribute: "1", .defaultPermissions: "1,2,4", .manufacturer: "2",
                .codec: (configuration.codec == .h265 ? VideoCodecCode.h265 : .h264).rawValue, .deviceStatus: "1",
            ]
            return CameraRecord(values: values)
        }
    }

    /// Six decimals, the last not 0: the directory reads a trailing 0 as "not surveyed" (coord_sixth_zero).
    static func surveyed(_ degrees: Double) -> String {
        let text = String(format: "%.6f", degrees)
        return text.hasSuffix("0") ? String(format: "%.6f", degrees + 0.000001) : text
    }

    /// UTF-8 with a BOM, CRLF: the layout and encoding of `directory export --format csv`.
    func write(to url: URL) throws {
        var writer = try CSVTableWriter(url: url)
        let layout = ExportLayout()
        try writer.write(layout.header(.zh))
        for record in try records() { try writer.write(layout.cells(record)) }
        try writer.finish()
    }
}

enum SimulatedDirectoryError: Error, CustomStringConvertible {
    case unknownDivision(String)

    var description: String {
        switch self {
        case .unknownDivision(let code): "--division \(code) is not a GB/T 2260 division gbshare knows: give one such as 441502"
        }
    }
}

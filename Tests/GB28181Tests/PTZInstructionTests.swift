import Testing
@testable import GB28181

/// Spec §3.4.1: every PTZCmd vector encodes exactly and decodes back to the same command.
struct PTZInstructionTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        var name: String
        var command: PTZCommand
        var address: UInt16 = 1
        var hex: String
        var testDescription: String { "\(name) = \(hex)" }
    }

    static let vectors: [Vector] = [
        Vector(name: "stop", command: .stop, hex: "A50F0100000000B5"),
        Vector(name: "right 0x32", command: .move(PTZMove(pan: .right, panSpeed: 0x32)), hex: "A50F0101320000E8"),
        Vector(name: "left 0x32", command: .move(PTZMove(pan: .left, panSpeed: 0x32)), hex: "A50F0102320000E9"),
        Vector(name: "up 0x32", command: .move(PTZMove(tilt: .up, tiltSpeed: 0x32)), hex: "A50F0108003200EF"),
        Vector(name: "down 0x32", command: .move(PTZMove(tilt: .down, tiltSpeed: 0x32)), hex: "A50F0104003200EB"),
        Vector(name: "up-left", command: .move(PTZMove(pan: .left, tilt: .up, panSpeed: 0x32, tiltSpeed: 0x32)),
               hex: "A50F010A32320023"),
        Vector(name: "down-right", command: .move(PTZMove(pan: .right, tilt: .down, panSpeed: 0xFF, tiltSpeed: 0xFF)),
               hex: "A50F0105FFFF00B8"),
        Vector(name: "zoom in 5", command: .move(PTZMove(zoom: .zoomIn, zoomSpeed: 5)), hex: "A50F011000005015"),
        Vector(name: "zoom out 5", command: .move(PTZMove(zoom: .zoomOut, zoomSpeed: 5)), hex: "A50F012000005025"),
        Vector(name: "FI stop", command: .focusIris(FocusIrisMove()), hex: "A50F0140000000F5"),
        Vector(name: "focus near", command: .focusIris(FocusIrisMove(focus: .near, focusSpeed: 0x80)), hex: "A50F014280000077"),
        Vector(name: "focus far", command: .focusIris(FocusIrisMove(focus: .far, focusSpeed: 0x80)), hex: "A50F014180000076"),
        Vector(name: "iris open", command: .focusIris(FocusIrisMove(iris: .open, irisSpeed: 0x80)), hex: "A50F014400800079"),
        Vector(name: "iris close", command: .focusIris(FocusIrisMove(iris: .close, irisSpeed: 0x80)), hex: "A50F01480080007D"),
        Vector(name: "set preset 1", command: .setPreset(1), hex: "A50F018100010037"),
        Vector(name: "call preset 1", command: .callPreset(1), hex: "A50F018200010038"),
        Vector(name: "delete preset 1", command: .deletePreset(1), hex: "A50F018300010039"),
        Vector(name: "call preset 255", command: .callPreset(255), hex: "A50F018200FF0036"),
        Vector(name: "cruise add", command: .addCruisePoint(group: 1, preset: 3), hex: "A50F01840103003D"),
        Vector(name: "cruise delete point", command: .deleteCruisePoint(group: 1, preset: 3), hex: "A50F01850103003E"),
        Vector(name: "delete whole cruise", command: .deleteCruisePoint(group: 1, preset: 0), hex: "A50F01850100003B"),
        Vector(name: "cruise speed 300", command: .setCruiseSpeed(group: 1, speed: 300), hex: "A50F0186012C1078"),
        Vector(name: "cruise dwell 10", command: .setCruiseDwell(group: 1, seconds: 10), hex: "A50F0187010A0047"),
        Vector(name: "start cruise", command: .startCruise(group: 1), hex: "A50F01880100003E"),
        Vector(name: "start scan", command: .startScan(group: 1), hex: "A50F01890100003F"),
        Vector(name: "scan left edge", command: .setScanLeftEdge(group: 1), hex: "A50F018901010040"),
        Vector(name: "scan right edge", command: .setScanRightEdge(group: 1), hex: "A50F018901020041"),
        Vector(name: "scan speed 300", command: .setScanSpeed(group: 1, speed: 300), hex: "A50F018A012C107C"),
        Vector(name: "wiper on", command: .auxiliaryOn(1), hex: "A50F018C01000042"),
        Vector(name: "wiper off", command: .auxiliaryOff(1), hex: "A50F018D01000043"),
        Vector(name: "right, address 0x123", command: .move(PTZMove(pan: .right, panSpeed: 0x32)), address: 0x123,
               hex: "A50F23013200010B"),
    ]

    @Test("encode", arguments: vectors)
    func encode(vector: Vector) {
        #expect(vector.command.instruction(address: vector.address).hexString == vector.hex)
    }

    @Test("decode (§10.1.11: every row of the table)", arguments: vectors)
    func decode(vector: Vector) throws {
        let instruction = try PTZInstruction(hex: vector.hex)
        #expect(instruction.address == vector.address)
        #expect(PTZCommand(instruction) == vector.command)
        #expect(try PTZInstruction(hex: vector.hex.lowercased()) == instruction)
    }

    @Test func checksumIsVerified() {
        #expect(throws: PTZInstructionError.badChecksum(expected: 0xE8, found: 0xE9)) {
            try PTZInstruction(hex: "A50F0101320000E9")
        }
    }

    @Test("malformed PTZCmd values", arguments: [
        ("A50F01013200", PTZInstructionError.wrongLength("A50F01013200")),
        ("A50F01013200ZZE8", .notHex("A50F01013200ZZE8")),
        ("B50F0101320000F8", .badFrameHead(0xB5)),
        ("A50E0101320000E7", .badVersionByte(0x0E)),
    ])
    func malformed(hex: String, error: PTZInstructionError) {
        #expect(throws: error) { try PTZInstruction(hex: hex) }
    }

    @Test func contradictoryDirectionsStayRaw() throws {
        // left and right together (code 0x03) is not in table A.5: kept raw, not guessed.
        let instruction = PTZInstruction(code: 0x03, data1: 0x10)
        #expect(PTZCommand(instruction) == .raw(instruction))
        let focusBoth = PTZInstruction(code: 0x43)
        #expect(PTZCommand(focusBoth) == .raw(focusBoth))
    }

    @Test func outOfRangeValuesAreMasked() {
        #expect(PTZMove(zoom: .zoomIn, zoomSpeed: 200).zoomSpeed == 15)
        #expect(PTZInstruction(address: 0xFFFF, code: 0).address == 0x0FFF)
        #expect(PTZCommand.setCruiseSpeed(group: 1, speed: 0xFFFF).instruction().data3 == 0x0F)
    }

    @Test func hexIsTrimmed() throws {
        #expect(try PTZInstruction(hex: " A50F0100000000B5\r\n").code == 0)
    }
}

/// Pan/tilt/zoom motion (table A.5). Opposite directions of one axis cannot be expressed, by construction.
public struct PTZMove: Sendable, Hashable {
    public enum Pan: Sendable, Hashable { case left, right }
    public enum Tilt: Sendable, Hashable { case up, down }
    public enum Zoom: Sendable, Hashable { case zoomIn, zoomOut }

    public var pan: Pan?
    public var tilt: Tilt?
    public var zoom: Zoom?
    public var panSpeed: UInt8
    public var tiltSpeed: UInt8
    /// 0...15; larger values are clamped.
    public var zoomSpeed: UInt8

    public init(pan: Pan? = nil, tilt: Tilt? = nil, zoom: Zoom? = nil, panSpeed: UInt8 = 0, tiltSpeed: UInt8 = 0,
                zoomSpeed: UInt8 = 0) {
        self.pan = pan
        self.tilt = tilt
        self.zoom = zoom
        self.panSpeed = panSpeed
        self.tiltSpeed = tiltSpeed
        self.zoomSpeed = min(zoomSpeed, 15)
    }
}

/// Focus/iris (table A.6). Both nil is the FI stop frame (`40`).
public struct FocusIrisMove: Sendable, Hashable {
    public enum Focus: Sendable, Hashable { case far, near }
    /// `open` = 放大 (bit 2), `close` = 缩小 (bit 3).
    public enum Iris: Sendable, Hashable { case open, close }

    public var focus: Focus?
    public var iris: Iris?
    public var focusSpeed: UInt8
    public var irisSpeed: UInt8

    public init(focus: Focus? = nil, iris: Iris? = nil, focusSpeed: UInt8 = 0, irisSpeed: UInt8 = 0) {
        self.focus = focus
        self.iris = iris
        self.focusSpeed = focusSpeed
        self.irisSpeed = irisSpeed
    }
}

/// What a PTZ instruction means (tables A.5-A.11, spec §3.4.1). Codes outside these tables stay `.raw`.
///
/// There is no "stop cruise" or "stop scan": the all-zero `.stop` frame stops everything [S].
public enum PTZCommand: Sendable, Hashable {
    case stop
    case move(PTZMove)
    case focusIris(FocusIrisMove)
    case setPreset(UInt8)
    case callPreset(UInt8)
    case deletePreset(UInt8)
    case addCruisePoint(group: UInt8, preset: UInt8)
    /// `preset` 0 deletes the whole cruise.
    case deleteCruisePoint(group: UInt8, preset: UInt8)
    /// 12-bit speed.
    case setCruiseSpeed(group: UInt8, speed: UInt16)
    /// 12-bit dwell time, seconds.
    case setCruiseDwell(group: UInt8, seconds: UInt16)
    case startCruise(group: UInt8)
    case startScan(group: UInt8)
    case setScanLeftEdge(group: UInt8)
    case setScanRightEdge(group: UInt8)
    case setScanSpeed(group: UInt8, speed: UInt16)
    /// Switch 1 is the wiper, the only one named by the standard.
    case auxiliaryOn(UInt8)
    case auxiliaryOff(UInt8)
    case raw(PTZInstruction)

    /// Interprets an instruction by the A.5-A.11 tables. Frames that violate them (left and right together,
    /// focus near and far together) are returned as `.raw` rather than guessed at.
    public init(_ instruction: PTZInstruction) {
        let code = instruction.code, data1 = instruction.data1, data2 = instruction.data2
        let twelveBit = UInt16(instruction.data3) << 8 | UInt16(data2)
        switch code {
        case 0x00:
            self = .stop
        case 0x01...0x3F:
            guard code & 0x03 != 0x03, code & 0x0C != 0x0C, code & 0x30 != 0x30 else { self = .raw(instruction); return }
            self = .move(PTZMove(
                pan: code & 0x01 != 0 ? .right : code & 0x02 != 0 ? .left : nil,
                tilt: code & 0x04 != 0 ? .down : code & 0x08 != 0 ? .up : nil,
                zoom: code & 0x10 != 0 ? .zoomIn : code & 0x20 != 0 ? .zoomOut : nil,
                panSpeed: data1, tiltSpeed: data2, zoomSpeed: instruction.data3))
        case 0x40...0x4F:
            guard code & 0x03 != 0x03, code & 0x0C != 0x0C else { self = .raw(instruction); return }
            self = .focusIris(FocusIrisMove(
                focus: code & 0x01 != 0 ? .far : code & 0x02 != 0 ? .near : nil,
                iris: code & 0x04 != 0 ? .open : code & 0x08 != 0 ? .close : nil,
                focusSpeed: data1, irisSpeed: data2))
        case 0x81: self = .setPreset(data2)
        case 0x82: self = .callPreset(data2)
        case 0x83: self = .deletePreset(data2)
        case 0x84: self = .addCruisePoint(group: data1, preset: data2)
        case 0x85: self = .deleteCruisePoint(group: data1, preset: data2)
        case 0x86: self = .setCruiseSpeed(group: data1, speed: twelveBit)
        case 0x87: self = .setCruiseDwell(group: data1, seconds: twelveBit)
        case 0x88: self = .startCruise(group: data1)
        case 0x89 where data2 == 0: self = .startScan(group: data1)
        case 0x89 where data2 == 1: self = .setScanLeftEdge(group: data1)
        case 0x89 where data2 == 2: self = .setScanRightEdge(group: data1)
        case 0x8A: self = .setScanSpeed(group: data1, speed: twelveBit)
        case 0x8C: self = .auxiliaryOn(data1)
        case 0x8D: self = .auxiliaryOff(data1)
        default: self = .raw(instruction)
        }
    }

    /// The instruction for this command at `address` (1 unless the device says otherwise).
    public func instruction(address: UInt16 = 1) -> PTZInstruction {
        func frame(_ code: UInt8, _ data1: UInt8 = 0, _ data2: UInt8 = 0, _ data3: UInt8 = 0) -> PTZInstruction {
            PTZInstruction(address: address, code: code, data1: data1, data2: data2, data3: data3)
        }
        func split(_ value: UInt16) -> (low: UInt8, high: UInt8) {
            (UInt8(value & 0xFF), UInt8((value >> 8) & 0x0F))
        }
        switch self {
        case .stop:
            return frame(0x00)
        case .move(let move):
            var code: UInt8 = 0
            if let pan = move.pan { code |= pan == .right ? 0x01 : 0x02 }
            if let tilt = move.tilt { code |= tilt == .down ? 0x04 : 0x08 }
            if let zoom = move.zoom { code |= zoom == .zoomIn ? 0x10 : 0x20 }
            return frame(code, move.panSpeed, move.tiltSpeed, move.zoomSpeed)
        case .focusIris(let move):
            var code: UInt8 = 0x40
            if let focus = move.focus { code |= focus == .far ? 0x01 : 0x02 }
            if let iris = move.iris { code |= iris == .open ? 0x04 : 0x08 }
            return frame(code, move.focusSpeed, move.irisSpeed)
        case .setPreset(let number): return frame(0x81, 0, number)
        case .callPreset(let number): return frame(0x82, 0, number)
        case .deletePreset(let number): return frame(0x83, 0, number)
        case let .addCruisePoint(group, preset): return frame(0x84, group, preset)
        case let .deleteCruisePoint(group, preset): return frame(0x85, group, preset)
        case let .setCruiseSpeed(group, speed):
            let parts = split(speed)
            return frame(0x86, group, parts.low, parts.high)
        case let .setCruiseDwell(group, seconds):
            let parts = split(seconds)
            return frame(0x87, group, parts.low, parts.high)
        case .startCruise(let group): return frame(0x88, group)
        case .startScan(let group): return frame(0x89, group, 0)
        case .setScanLeftEdge(let group): return frame(0x89, group, 1)
        case .setScanRightEdge(let group): return frame(0x89, group, 2)
        case let .setScanSpeed(group, speed):
            let parts = split(speed)
            return frame(0x8A, group, parts.low, parts.high)
        case .auxiliaryOn(let number): return frame(0x8C, number)
        case .auxiliaryOff(let number): return frame(0x8D, number)
        case .raw(let instruction): return instruction
        }
    }
}

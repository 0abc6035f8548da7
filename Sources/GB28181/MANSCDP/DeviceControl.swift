/// DeviceControl (spec §3.4): one sub-command per message, next to CmdType/SN/DeviceID.
public struct DeviceControl: MANSCDPCommand {
    public var root: MANSCDPRoot { .control }
    public var cmdType: MANSCDPCmdType { .deviceControl }
    public var sn: Int
    public var deviceID: String
    public var command: DeviceControlCommand
    /// Sibling elements this model does not interpret (2022 `PTZCmdParams`, ...), written after the command.
    public var extraFields: [MANSCDPElement]

    public init(sn: Int, deviceID: String, command: DeviceControlCommand, extraFields: [MANSCDPElement] = []) {
        self.sn = sn
        self.deviceID = deviceID
        self.command = command
        self.extraFields = extraFields
    }

    private static let envelopeKeys: Set<String> = ["cmdtype", "sn", "deviceid", "info", "streamnumber"]
    private static let commandKeys: Set<String> = [
        "ptzcmd", "teleboot", "recordcmd", "guardcmd", "alarmcmd", "ifamecmd", "iframecmd", "dragzoomin",
        "dragzoomout", "homeposition",
    ]

    init(element: MANSCDPElement) throws(MANSCDPError) {
        let envelope = try MANSCDPEnvelope(element)
        let candidates = element.children.filter { !Self.envelopeKeys.contains($0.key) }
        guard let first = candidates.first(where: { Self.commandKeys.contains($0.key) }) ?? candidates.first else {
            throw .missingElement("PTZCmd, TeleBoot, RecordCmd, GuardCmd, AlarmCmd, IFameCmd, DragZoomIn/Out or HomePosition",
                                  in: element.name)
        }
        let command = try Self.command(from: first, in: element)
        // The 2022 spelling may travel beside the 2016 one ([L] sends both); that is one command, not two.
        let iFrameKeys: Set<String> = ["ifamecmd", "iframecmd"]
        let extras = candidates.filter { $0.key != first.key && !(iFrameKeys.contains(first.key) && iFrameKeys.contains($0.key)) }
        self.init(sn: envelope.sn, deviceID: envelope.deviceID, command: command, extraFields: extras)
    }

    private static func command(from field: MANSCDPElement, in element: MANSCDPElement) throws(MANSCDPError) -> DeviceControlCommand {
        let info = element.child("Info")
        switch field.key {
        case "ptzcmd":
            do {
                return .ptz(try PTZInstruction(hex: field.text), controlPriority: info?.int("ControlPriority"))
            } catch {
                throw .invalidValue(element: "PTZCmd", value: field.text, expected: error.description)
            }
        case "teleboot":
            return .teleBoot
        case "recordcmd":
            return .record(RecordCommand(field.text), streamNumber: element.int("StreamNumber"))
        case "guardcmd":
            return .guardCommand(GuardCommand(field.text))
        case "alarmcmd":
            return .resetAlarm(alarmMethod: info?.value("AlarmMethod"), alarmType: info?.value("AlarmType"))
        case "ifamecmd", "iframecmd":
            let has2016 = element.child("IFameCmd") != nil, has2022 = element.child("IFrameCmd") != nil
            return .iFrame(has2016 && has2022 ? .both : has2016 ? .gb2016 : .gb2022)
        case "dragzoomin", "dragzoomout":
            return .dragZoom(DragZoom(zoomIn: field.key == "dragzoomin", length: field.int("Length") ?? 0,
                                      width: field.int("Width") ?? 0, midPointX: field.int("MidPointX") ?? 0,
                                      midPointY: field.int("MidPointY") ?? 0, lengthX: field.int("LengthX") ?? 0,
                                      lengthY: field.int("LengthY") ?? 0))
        case "homeposition":
            return .homePosition(HomePosition(enabled: field.int("Enabled") == 1, resetTime: field.int("ResetTime"),
                                              presetIndex: field.int("PresetIndex")))
        default:
            return .other(field)
        }
    }

    public func writeContent(to writer: inout MANSCDPWriter) {
        switch command {
        case let .ptz(instruction, priority):
            writer.element("PTZCmd", instruction.hexString)
            if let priority {
                writer.open("Info")
                writer.element("ControlPriority", priority)
                writer.close("Info")
            }
        case .teleBoot:
            writer.element("TeleBoot", "Boot")
        case let .record(command, streamNumber):
            writer.element("RecordCmd", command.description)
            writer.element("StreamNumber", streamNumber)
        case .guardCommand(let command):
            writer.element("GuardCmd", command.description)
        case let .resetAlarm(method, type):
            writer.element("AlarmCmd", "ResetAlarm")
            if method != nil || type != nil {
                writer.open("Info")
                writer.element("AlarmMethod", method)
                writer.element("AlarmType", type)
                writer.close("Info")
            }
        case .iFrame(let spelling):
            for name in spelling.elementNames { writer.element(name, "Send") }
        case .dragZoom(let zoom):
            writer.open(zoom.elementName)
            writer.element("Length", zoom.length)
            writer.element("Width", zoom.width)
            writer.element("MidPointX", zoom.midPointX)
            writer.element("MidPointY", zoom.midPointY)
            writer.element("LengthX", zoom.lengthX)
            writer.element("LengthY", zoom.lengthY)
            writer.close(zoom.elementName)
        case .homePosition(let home):
            writer.open("HomePosition")
            writer.element("Enabled", home.enabled ? 1 : 0)
            writer.element("ResetTime", home.resetTime)
            writer.element("PresetIndex", home.presetIndex)
            writer.close("HomePosition")
        case .other(let element):
            writer.write(element)
        }
        for field in extraFields { writer.write(field) }
    }
}

// Bodies copied from ../shared/spec/gb28181.md (§2.4, §3.3-§3.7, §4); the spec writes them with CRLF line
// endings and gives each one's Content-Length, which the tests check.

/// Converts a Swift multi-line literal (LF) to the CRLF form the spec's Content-Length values count.
func crlf(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n") + "\r\n"
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}

func bytes(fromHex text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace })
    return stride(from: 0, to: digits.count, by: 2).compactMap { UInt8(String(digits[$0...$0 + 1]), radix: 16) }
}

enum Spec {
    static let keepalive = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Notify>
    <CmdType>Keepalive</CmdType>
    <SN>2</SN>
    <DeviceID>34020000001320000001</DeviceID>
    <Status>OK</Status>
    </Notify>
    """)

    static let catalogQuery = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Query>
    <CmdType>Catalog</CmdType>
    <SN>17430</SN>
    <DeviceID>34020000001320000001</DeviceID>
    </Query>
    """)

    static let deviceInfoQuery = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Query>
    <CmdType>DeviceInfo</CmdType>
    <SN>17431</SN>
    <DeviceID>34020000001320000001</DeviceID>
    </Query>
    """)

    static let deviceInfoResponse = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Response>
    <CmdType>DeviceInfo</CmdType>
    <SN>17431</SN>
    <DeviceID>34020000001320000001</DeviceID>
    <DeviceName>IPC-Gate</DeviceName>
    <Result>OK</Result>
    <Manufacturer>Hikvision</Manufacturer>
    <Model>DS-2CD3T46</Model>
    <Firmware>V5.7.3</Firmware>
    <Channel>1</Channel>
    </Response>
    """)

    static let deviceStatusResponse = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Response>
    <CmdType>DeviceStatus</CmdType>
    <SN>17432</SN>
    <DeviceID>34020000001320000001</DeviceID>
    <Result>OK</Result>
    <Online>ONLINE</Online>
    <Status>OK</Status>
    <Encode>ON</Encode>
    <Record>OFF</Record>
    <DeviceTime>2024-05-20T08:00:05</DeviceTime>
    <Alarmstatus Num="1">
    <Item>
    <DeviceID>34020000001340000001</DeviceID>
    <DutyStatus>OFFDUTY</DutyStatus>
    </Item>
    </Alarmstatus>
    </Response>
    """)

    static let configDownloadQuery = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Query>
    <CmdType>ConfigDownload</CmdType>
    <SN>17436</SN>
    <DeviceID>34020000001320000001</DeviceID>
    <ConfigType>BasicParam</ConfigType>
    </Query>
    """)

    static let configDownloadResponse = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Response>
    <CmdType>ConfigDownload</CmdType>
    <SN>17436</SN>
    <DeviceID>34020000001320000001</DeviceID>
    <Result>OK</Result>
    <BasicParam>
    <Name>IPC-Gate</Name>
    <Expiration>3600</Expiration>
    <HeartBeatInterval>60</HeartBeatInterval>
    <HeartBeatCount>3</HeartBeatCount>
    </BasicParam>
    </Response>
    """)

    static let presetQueryResponse = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Response>
    <CmdType>PresetQuery</CmdType>
    <SN>17435</SN>
    <DeviceID>34020000001310000001</DeviceID>
    <PresetList Num="2">
    <Item>
    <PresetID>1</PresetID>
    <PresetName>Gate</PresetName>
    </Item>
    <Item>
    <PresetID>2</PresetID>
    <PresetName>Parking</PresetName>
    </Item>
    </PresetList>
    </Response>
    """)

    static let mobilePositionQuery = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Query>
    <CmdType>MobilePosition</CmdType>
    <SN>6</SN>
    <DeviceID>34020000001320000001</DeviceID>
    <Interval>5</Interval>
    </Query>
    """)

    static let ptzControl = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Control>
    <CmdType>DeviceControl</CmdType>
    <SN>11</SN>
    <DeviceID>34020000001310000001</DeviceID>
    <PTZCmd>A50F0101320000E8</PTZCmd>
    <Info>
    <ControlPriority>5</ControlPriority>
    </Info>
    </Control>
    """)

    static let controlResponse = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Response>
    <CmdType>DeviceControl</CmdType>
    <SN>12</SN>
    <DeviceID>34020000001310000001</DeviceID>
    <Result>OK</Result>
    </Response>
    """)

    static let alarmNotify = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Notify>
    <CmdType>Alarm</CmdType>
    <SN>300</SN>
    <DeviceID>34020000001310000001</DeviceID>
    <AlarmPriority>1</AlarmPriority>
    <AlarmMethod>5</AlarmMethod>
    <AlarmTime>2024-05-20T08:15:30</AlarmTime>
    <AlarmDescription>motion</AlarmDescription>
    <Longitude>117.2272</Longitude>
    <Latitude>31.8206</Latitude>
    <Info>
    <AlarmType>2</AlarmType>
    </Info>
    </Notify>
    """)

    static let alarmResponse = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Response>
    <CmdType>Alarm</CmdType>
    <SN>300</SN>
    <DeviceID>34020000001310000001</DeviceID>
    <Result>OK</Result>
    </Response>
    """)

    static let mediaStatus = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Notify>
    <CmdType>MediaStatus</CmdType>
    <SN>8</SN>
    <DeviceID>34020000001310000001</DeviceID>
    <NotifyType>121</NotifyType>
    </Notify>
    """)

    static let mobilePositionNotify = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Notify>
    <CmdType>MobilePosition</CmdType>
    <SN>128</SN>
    <DeviceID>34020000001320000001</DeviceID>
    <Time>2024-05-20T08:20:00</Time>
    <Longitude>117.2272</Longitude>
    <Latitude>31.8206</Latitude>
    <Speed>0.0</Speed>
    <Direction>90.0</Direction>
    <Altitude>30.0</Altitude>
    </Notify>
    """)

    static let catalogResponse = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Response>
    <CmdType>Catalog</CmdType>
    <SN>17430</SN>
    <DeviceID>34020000001320000001</DeviceID>
    <SumNum>1</SumNum>
    <DeviceList Num="1">
    <Item>
    <DeviceID>34020000001310000001</DeviceID>
    <Name>一号门摄像机</Name>
    <Manufacturer>Hikvision</Manufacturer>
    <Model>IP Camera</Model>
    <Owner>Owner</Owner>
    <CivilCode>34020000</CivilCode>
    <Address>Address</Address>
    <Parental>0</Parental>
    <ParentID>34020000001320000001</ParentID>
    <SafetyWay>0</SafetyWay>
    <RegisterWay>1</RegisterWay>
    <Secrecy>0</Secrecy>
    <Status>ON</Status>
    <Longitude>117.2272</Longitude>
    <Latitude>31.8206</Latitude>
    <Info>
    <PTZType>1</PTZType>
    </Info>
    </Item>
    </DeviceList>
    </Response>
    """)

    static let recordInfoQuery = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Query>
    <CmdType>RecordInfo</CmdType>
    <SN>17433</SN>
    <DeviceID>34020000001310000001</DeviceID>
    <StartTime>2024-05-20T00:00:00</StartTime>
    <EndTime>2024-05-20T23:59:59</EndTime>
    <Secrecy>0</Secrecy>
    <Type>all</Type>
    </Query>
    """)

    static let recordInfoResponse = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Response>
    <CmdType>RecordInfo</CmdType>
    <SN>17433</SN>
    <DeviceID>34020000001310000001</DeviceID>
    <Name>Camera 01</Name>
    <SumNum>2</SumNum>
    <RecordList Num="2">
    <Item>
    <DeviceID>34020000001310000001</DeviceID>
    <Name>Camera 01</Name>
    <FilePath>ch01_20240520080000</FilePath>
    <Address>Address</Address>
    <StartTime>2024-05-20T08:00:00</StartTime>
    <EndTime>2024-05-20T09:00:00</EndTime>
    <Secrecy>0</Secrecy>
    <Type>time</Type>
    <FileSize>536870912</FileSize>
    </Item>
    <Item>
    <DeviceID>34020000001310000001</DeviceID>
    <Name>Camera 01</Name>
    <FilePath>ch01_20240520091500</FilePath>
    <Address>Address</Address>
    <StartTime>2024-05-20T09:15:00</StartTime>
    <EndTime>2024-05-20T09:20:00</EndTime>
    <Secrecy>0</Secrecy>
    <Type>alarm</Type>
    <FileSize>41943040</FileSize>
    </Item>
    </RecordList>
    </Response>
    """)

    static let recordInfoEmpty = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Response>
    <CmdType>RecordInfo</CmdType>
    <SN>17434</SN>
    <DeviceID>34020000001310000001</DeviceID>
    <Name>Camera 01</Name>
    <SumNum>0</SumNum>
    </Response>
    """)

    static let subscribeCatalogQuery = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Query>
    <CmdType>Catalog</CmdType>
    <SN>5</SN>
    <DeviceID>34020000001320000001</DeviceID>
    </Query>
    """)

    static let subscribeOKBody = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Response>
    <CmdType>Catalog</CmdType>
    <SN>5</SN>
    <DeviceID>34020000001320000001</DeviceID>
    <Result>OK</Result>
    </Response>
    """)

    static let catalogNotify = crlf("""
    <?xml version="1.0" encoding="GB2312"?>
    <Notify>
    <CmdType>Catalog</CmdType>
    <SN>1001</SN>
    <DeviceID>34020000001320000001</DeviceID>
    <SumNum>1</SumNum>
    <DeviceList Num="1">
    <Item>
    <DeviceID>34020000001310000001</DeviceID>
    <Event>OFF</Event>
    </Item>
    </DeviceList>
    </Notify>
    """)

    /// §3.4 "Other control bodies (shapes)": one line each, no declaration.
    static let controlShapes = [
        "<Control><CmdType>DeviceControl</CmdType><SN>13</SN><DeviceID>34020000001320000001</DeviceID><TeleBoot>Boot</TeleBoot></Control>",
        "<Control><CmdType>DeviceControl</CmdType><SN>14</SN><DeviceID>34020000001310000001</DeviceID><RecordCmd>Record</RecordCmd></Control>",
        "<Control><CmdType>DeviceControl</CmdType><SN>15</SN><DeviceID>34020000001320000001</DeviceID><GuardCmd>SetGuard</GuardCmd></Control>",
        "<Control><CmdType>DeviceControl</CmdType><SN>16</SN><DeviceID>34020000001320000001</DeviceID><AlarmCmd>ResetAlarm</AlarmCmd><Info><AlarmMethod>2</AlarmMethod><AlarmType>1</AlarmType></Info></Control>",
        "<Control><CmdType>DeviceControl</CmdType><SN>17</SN><DeviceID>34020000001310000001</DeviceID><IFameCmd>Send</IFameCmd></Control>",
        "<Control><CmdType>DeviceControl</CmdType><SN>18</SN><DeviceID>34020000001310000001</DeviceID><DragZoomIn><Length>1920</Length><Width>1080</Width><MidPointX>960</MidPointX><MidPointY>540</MidPointY><LengthX>320</LengthX><LengthY>180</LengthY></DragZoomIn></Control>",
        "<Control><CmdType>DeviceControl</CmdType><SN>19</SN><DeviceID>34020000001310000001</DeviceID><HomePosition><Enabled>1</Enabled><ResetTime>60</ResetTime><PresetIndex>1</PresetIndex></HomePosition></Control>",
    ]
}

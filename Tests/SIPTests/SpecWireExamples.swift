import NIOCore

/// The wire examples of /work/shared/spec/gb28181.md (sections 2.3, 2.4, 4, 5.6, 5.7, 7), written
/// with LF here and turned into CRLF bytes, as they are on the wire.
enum SpecWire {
    static func bytes(_ text: String) -> ByteBuffer {
        ByteBuffer(string: crlf(text))
    }

    static func crlf(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    }

    static let register1 = """
        REGISTER sip:34020000002000000001@3402000000 SIP/2.0
        Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1371463273
        From: <sip:34020000001320000001@3402000000>;tag=2043466181
        To: <sip:34020000001320000001@3402000000>
        Call-ID: 1011047669
        CSeq: 1 REGISTER
        Contact: <sip:34020000001320000001@192.168.1.64:5060>
        Max-Forwards: 70
        User-Agent: IP Camera
        Expires: 3600
        Content-Length: 0


        """

    static let unauthorized401 = """
        SIP/2.0 401 Unauthorized
        Via: SIP/2.0/UDP 192.168.1.64:5060;rport=5060;received=192.168.1.64;branch=z9hG4bK1371463273
        From: <sip:34020000001320000001@3402000000>;tag=2043466181
        To: <sip:34020000001320000001@3402000000>;tag=1716163200123
        Call-ID: 1011047669
        CSeq: 1 REGISTER
        WWW-Authenticate: Digest realm="3402000000",qop="auth",nonce="9bd055f2a4e3f4d1c2b3a49586778899",algorithm=MD5
        Content-Length: 0


        """

    static let register2 = """
        REGISTER sip:34020000002000000001@3402000000 SIP/2.0
        Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1914157473
        From: <sip:34020000001320000001@3402000000>;tag=2043466181
        To: <sip:34020000001320000001@3402000000>
        Call-ID: 1011047669
        CSeq: 2 REGISTER
        Contact: <sip:34020000001320000001@192.168.1.64:5060>
        Authorization: Digest username="34020000001320000001", realm="3402000000", nonce="9bd055f2a4e3f4d1c2b3a49586778899", uri="sip:34020000002000000001@3402000000", response="7bd58b2dbc4509de33dc51bac474f6b1", algorithm=MD5, cnonce="0a4f113b", qop=auth, nc=00000001
        Max-Forwards: 70
        User-Agent: IP Camera
        Expires: 3600
        Content-Length: 0


        """

    static let registerOK = """
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP 192.168.1.64:5060;rport=5060;received=192.168.1.64;branch=z9hG4bK1914157473
        From: <sip:34020000001320000001@3402000000>;tag=2043466181
        To: <sip:34020000001320000001@3402000000>;tag=1716163200456
        Call-ID: 1011047669
        CSeq: 2 REGISTER
        Contact: <sip:34020000001320000001@192.168.1.64:5060>
        Expires: 3600
        Date: 2024-05-20T08:00:00.456
        Content-Length: 0


        """

    static let keepalive = """
        MESSAGE sip:34020000002000000001@3402000000 SIP/2.0
        Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1503925786
        From: <sip:34020000001320000001@3402000000>;tag=1458929012
        To: <sip:34020000002000000001@3402000000>
        Call-ID: 605718939
        CSeq: 20 MESSAGE
        Content-Type: Application/MANSCDP+xml
        Max-Forwards: 70
        User-Agent: IP Camera
        Content-Length: 168

        <?xml version="1.0" encoding="GB2312"?>
        <Notify>
        <CmdType>Keepalive</CmdType>
        <SN>2</SN>
        <DeviceID>34020000001320000001</DeviceID>
        <Status>OK</Status>
        </Notify>

        """

    static let subscribe = """
        SUBSCRIBE sip:34020000001320000001@192.168.1.64:5060 SIP/2.0
        Via: SIP/2.0/UDP 192.168.1.10:5060;rport;branch=z9hG4bK530000001
        From: <sip:34020000002000000001@3402000000>;tag=sub0001
        To: <sip:34020000001320000001@192.168.1.64:5060>
        Call-ID: 5b5b5b5b@192.168.1.10
        CSeq: 1 SUBSCRIBE
        Contact: <sip:34020000002000000001@192.168.1.10:5060>
        Event: Catalog;id=5
        Expires: 3600
        Content-Type: Application/MANSCDP+xml
        Max-Forwards: 70
        Content-Length: 143

        <?xml version="1.0" encoding="GB2312"?>
        <Query>
        <CmdType>Catalog</CmdType>
        <SN>5</SN>
        <DeviceID>34020000001320000001</DeviceID>
        </Query>

        """

    static let subscribeOK = """
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP 192.168.1.10:5060;rport=5060;branch=z9hG4bK530000001
        From: <sip:34020000002000000001@3402000000>;tag=sub0001
        To: <sip:34020000001320000001@192.168.1.64:5060>;tag=devsub9
        Call-ID: 5b5b5b5b@192.168.1.10
        CSeq: 1 SUBSCRIBE
        Contact: <sip:34020000001320000001@192.168.1.64:5060>
        Expires: 3600
        Content-Type: Application/MANSCDP+xml
        Content-Length: 170

        <?xml version="1.0" encoding="GB2312"?>
        <Response>
        <CmdType>Catalog</CmdType>
        <SN>5</SN>
        <DeviceID>34020000001320000001</DeviceID>
        <Result>OK</Result>
        </Response>

        """

    static let notify = """
        NOTIFY sip:34020000002000000001@192.168.1.10:5060 SIP/2.0
        Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1934461
        From: <sip:34020000001320000001@192.168.1.64:5060>;tag=devsub9
        To: <sip:34020000002000000001@3402000000>;tag=sub0001
        Call-ID: 5b5b5b5b@192.168.1.10
        CSeq: 2 NOTIFY
        Contact: <sip:34020000001320000001@192.168.1.64:5060>
        Event: Catalog;id=5
        Subscription-State: active;expires=3540
        Content-Type: Application/MANSCDP+xml
        Max-Forwards: 70
        Content-Length: 285

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

        """

    static let invite = """
        INVITE sip:34020000001310000001@192.168.1.64:5060 SIP/2.0
        Via: SIP/2.0/UDP 192.168.1.10:5060;rport;branch=z9hG4bK520123456
        From: <sip:34020000002000000001@3402000000>;tag=play0001
        To: <sip:34020000001310000001@192.168.1.64:5060>
        Call-ID: c1d2e3f4a5b6@192.168.1.10
        CSeq: 20 INVITE
        Contact: <sip:34020000002000000001@192.168.1.10:5060>
        Subject: 34020000001310000001:0200000001,34020000002000000001:0
        Content-Type: APPLICATION/SDP
        Max-Forwards: 70
        User-Agent: SwiftGB/1.0
        Content-Length: 220

        v=0
        o=34020000002000000001 0 0 IN IP4 192.168.1.10
        s=Play
        c=IN IP4 192.168.1.10
        t=0 0
        m=video 30000 RTP/AVP 96 97 98
        a=recvonly
        a=rtpmap:96 PS/90000
        a=rtpmap:97 MPEG4/90000
        a=rtpmap:98 H264/90000
        y=0200000001

        """

    static let inviteOK = """
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP 192.168.1.10:5060;rport=5060;branch=z9hG4bK520123456
        From: <sip:34020000002000000001@3402000000>;tag=play0001
        To: <sip:34020000001310000001@192.168.1.64:5060>;tag=dev77321
        Call-ID: c1d2e3f4a5b6@192.168.1.10
        CSeq: 20 INVITE
        Contact: <sip:34020000001310000001@192.168.1.64:5060>
        Content-Type: application/sdp
        User-Agent: IP Camera
        Content-Length: 169

        v=0
        o=34020000001310000001 0 0 IN IP4 192.168.1.64
        s=Play
        c=IN IP4 192.168.1.64
        t=0 0
        m=video 15060 RTP/AVP 96
        a=sendonly
        a=rtpmap:96 PS/90000
        y=0200000001
        f=

        """

    static let ack = """
        ACK sip:34020000001310000001@192.168.1.64:5060 SIP/2.0
        Via: SIP/2.0/UDP 192.168.1.10:5060;rport;branch=z9hG4bK520199999
        From: <sip:34020000002000000001@3402000000>;tag=play0001
        To: <sip:34020000001310000001@192.168.1.64:5060>;tag=dev77321
        Call-ID: c1d2e3f4a5b6@192.168.1.10
        CSeq: 20 ACK
        Contact: <sip:34020000002000000001@192.168.1.10:5060>
        Max-Forwards: 70
        Content-Length: 0


        """

    static let bye = """
        BYE sip:34020000001310000001@192.168.1.64:5060 SIP/2.0
        Via: SIP/2.0/UDP 192.168.1.10:5060;rport;branch=z9hG4bK520277777
        From: <sip:34020000002000000001@3402000000>;tag=play0001
        To: <sip:34020000001310000001@192.168.1.64:5060>;tag=dev77321
        Call-ID: c1d2e3f4a5b6@192.168.1.10
        CSeq: 21 BYE
        Max-Forwards: 70
        Content-Length: 0


        """

    static let info = """
        INFO sip:34020000001310000001@192.168.1.64:5060 SIP/2.0
        Via: SIP/2.0/UDP 192.168.1.10:5060;rport;branch=z9hG4bK520300001
        From: <sip:34020000002000000001@3402000000>;tag=pb0002
        To: <sip:34020000001310000001@192.168.1.64:5060>;tag=dev88442
        Call-ID: 9e8d7c6b5a40@192.168.1.10
        CSeq: 31 INFO
        Contact: <sip:34020000002000000001@192.168.1.10:5060>
        Content-Type: Application/MANSRTSP
        Max-Forwards: 70
        Content-Length: 40

        PLAY MANSRTSP/1.0
        CSeq: 3
        Scale: 2.0

        """

    static let cascadeRegister = """
        REGISTER sip:44010000002000000001@4401000000 SIP/2.0
        Via: SIP/2.0/UDP 192.168.1.10:5060;rport;branch=z9hG4bK600000001
        From: <sip:34020000002000000001@3402000000>;tag=casc01
        To: <sip:34020000002000000001@3402000000>
        Call-ID: casc-reg-1@192.168.1.10
        CSeq: 1 REGISTER
        Contact: <sip:34020000002000000001@192.168.1.10:5060>
        Max-Forwards: 70
        User-Agent: SwiftGB/1.0
        Expires: 3600
        Content-Length: 0


        """

    static let all: [(name: String, text: String)] = [
        ("REGISTER #1", register1), ("401", unauthorized401), ("REGISTER #2", register2),
        ("200 OK REGISTER", registerOK), ("Keepalive MESSAGE", keepalive), ("SUBSCRIBE", subscribe),
        ("200 OK SUBSCRIBE", subscribeOK), ("NOTIFY", notify), ("INVITE", invite), ("200 OK INVITE", inviteOK),
        ("ACK", ack), ("BYE", bye), ("INFO", info), ("cascade REGISTER", cascadeRegister),
    ]
}

"""A GB/T 28181 device for the browser tests, over UDP on 127.0.0.1: it registers (digest auth),
sends keepalives, answers the platform's Catalog, DeviceInfo and DeviceStatus queries with the
channels it is given, and answers a live INVITE by sending a PS file (GB/T 28181 layout: a pack
per frame) as RTP, paced by its PTS. Enough for the devices page (online, catalog refresh with
progress, refused registration, unfiled channel) and for the live view to play real video."""
import hashlib
import random
import re
import socket
import threading
import time


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def tag():
    return f"{random.randrange(1 << 30):x}"



def keepalive_body(device):
    """A GB/T 28181 Keepalive notify naming `device` (a MANSCDP body, GB2312 declared, ASCII content)."""
    return (f'<?xml version="1.0" encoding="GB2312"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n'
            f'<SN>{random.randrange(1, 99999)}</SN>\r\n<DeviceID>{device}</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n')

class SIPDevice:
    def __init__(self, code, server_port, password, server_id="34020000002000000001", channels=(), host="127.0.0.1", ps_file=None):
        self.code = code
        self.server = (host, server_port)
        self.server_id = server_id
        self.domain = server_id[:10]
        self.password = password
        self.channels = list(channels)  # [{code, name, civilCode, address, longitude, latitude, status}]
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.host = host
        self.cseq = 1
        self.call_id = f"{tag()}@{host}"
        self.from_tag = tag()
        self.responses = []
        self.registered = False
        self.last_status = None
        self.running = True
        self.ps_file = ps_file
        self.streams = {}  # Call-ID → threading.Event that stops its sender
        self.invites = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    # Sending ------------------------------------------------------------------------------------

    def send(self, text):
        self.sock.sendto(text.encode("utf-8"), self.server)

    def request(self, method, body="", content_type=None, extra=""):
        with self.lock:
            self.cseq += 1
            cseq = self.cseq
        branch = f"z9hG4bK{tag()}"
        uri = f"sip:{self.server_id}@{self.domain}"
        lines = [
            f"{method} {uri} SIP/2.0",
            f"Via: SIP/2.0/UDP {self.host}:{self.port};rport;branch={branch}",
            f"From: <sip:{self.code}@{self.domain}>;tag={self.from_tag}",
            f"To: <sip:{self.code if method == 'REGISTER' else self.server_id}@{self.domain}>",
            f"Call-ID: {self.call_id if method == 'REGISTER' else tag() + '@' + self.host}",
            f"CSeq: {cseq} {method}",
            f"Contact: <sip:{self.code}@{self.host}:{self.port}>",
            "Max-Forwards: 70",
            "User-Agent: GBShare browser test device",
        ]
        if extra:
            lines.append(extra)
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        encoded = body.encode("utf-8")
        lines.append(f"Content-Length: {len(encoded)}")
        self.send("\r\n".join(lines) + "\r\n\r\n" + body)
        return cseq

    def wait_response(self, cseq, timeout=5):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for status, headers, raw in list(self.responses):
                if re.search(rf"^CSeq:\s*{cseq}\s", raw, re.M | re.I):
                    self.responses.remove((status, headers, raw))
                    return status, headers
            time.sleep(0.02)
        raise TimeoutError(f"no answer to CSeq {cseq}")

    def register(self, expires=3600):
        cseq = self.request("REGISTER", extra=f"Expires: {expires}")
        status, headers = self.wait_response(cseq)
        if status == 401:
            challenge = headers.get("www-authenticate", "")
            realm = re.search(r'realm="([^"]*)"', challenge).group(1)
            nonce = re.search(r'nonce="([^"]*)"', challenge).group(1)
            uri = f"sip:{self.server_id}@{self.domain}"
            response = md5(f"{md5(f'{self.code}:{realm}:{self.password}')}:{nonce}:{md5(f'REGISTER:{uri}')}")
            auth = (f'Authorization: Digest username="{self.code}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
                    f'response="{response}", algorithm=MD5')
            cseq = self.request("REGISTER", extra=f"Expires: {expires}\r\n{auth}")
            status, headers = self.wait_response(cseq)
        self.last_status = status
        self.registered = status == 200
        return status

    def keepalive(self):
        return self.request("MESSAGE", keepalive_body(self.code), "Application/MANSCDP+xml")

    # Receiving ----------------------------------------------------------------------------------

    def loop(self):
        while self.running:
            try:
                data, _ = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            text = data.decode("utf-8", errors="replace")
            head, _, body = text.partition("\r\n\r\n")
            lines = head.split("\r\n")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if lines[0].startswith("SIP/2.0"):
                self.responses.append((int(lines[0].split()[1]), headers, head))
            else:
                self.answer(lines[0], headers, body)

    def answer(self, request_line, headers, body):
        method = request_line.split()[0]
        if method == "ACK":
            return
        if method == "INVITE":
            return self.answer_invite(headers, body)
        if method == "BYE":
            stop = self.streams.pop(headers.get("call-id", ""), None)
            if stop:
                stop.set()
        lines = ["SIP/2.0 200 OK", f"Via: {headers.get('via', '')}", f"From: {headers.get('from', '')}",
                 f"To: {headers.get('to', '')};tag={tag()}", f"Call-ID: {headers.get('call-id', '')}",
                 f"CSeq: {headers.get('cseq', '')}", "Content-Length: 0"]
        self.send("\r\n".join(lines) + "\r\n\r\n")
        if method != "MESSAGE":
            return
        command = re.search(r"<CmdType>(\w+)</CmdType>", body)
        sn = re.search(r"<SN>(\d+)</SN>", body)
        if not command:
            return
        sn = sn.group(1) if sn else "1"
        threading.Thread(target=self.respond, args=(command.group(1), sn), daemon=True).start()

    def respond(self, command, sn):
        time.sleep(0.05)
        if command == "Catalog":
            # One channel a message, a little apart, so the progress is visible.
            total = len(self.channels)
            for channel in self.channels:
                item = (f"<Item>\r\n<DeviceID>{channel['code']}</DeviceID>\r\n<Name>{channel.get('name', '')}</Name>\r\n"
                        f"<Manufacturer>{channel.get('manufacturer', 'Test')}</Manufacturer>\r\n<Model>{channel.get('model', 'IPC')}</Model>\r\n"
                        f"<Owner>Owner</Owner>\r\n<CivilCode>{channel.get('civilCode', '441502')}</CivilCode>\r\n"
                        f"<Address>{channel.get('address', '')}</Address>\r\n<Parental>0</Parental>\r\n<ParentID>{self.code}</ParentID>\r\n"
                        f"<SafetyWay>0</SafetyWay>\r\n<RegisterWay>1</RegisterWay>\r\n<Secrecy>0</Secrecy>\r\n"
                        f"<Status>{channel.get('status', 'ON')}</Status>\r\n<Longitude>{channel.get('longitude', '115.37')}</Longitude>\r\n"
                        f"<Latitude>{channel.get('latitude', '22.78')}</Latitude>\r\n</Item>\r\n")
                body = (f'<?xml version="1.0" encoding="GB2312"?>\r\n<Response>\r\n<CmdType>Catalog</CmdType>\r\n<SN>{sn}</SN>\r\n'
                        f'<DeviceID>{self.code}</DeviceID>\r\n<SumNum>{total}</SumNum>\r\n<DeviceList Num="1">\r\n{item}</DeviceList>\r\n</Response>\r\n')
                self.request("MESSAGE", body, "Application/MANSCDP+xml")
                time.sleep(0.3)
        elif command == "DeviceInfo":
            body = (f'<?xml version="1.0" encoding="GB2312"?>\r\n<Response>\r\n<CmdType>DeviceInfo</CmdType>\r\n<SN>{sn}</SN>\r\n'
                    f'<DeviceID>{self.code}</DeviceID>\r\n<Result>OK</Result>\r\n<DeviceName>Test IPC</DeviceName>\r\n'
                    f'<Manufacturer>TestVendor</Manufacturer>\r\n<Model>T-1</Model>\r\n<Firmware>V1.0</Firmware>\r\n<Channel>{len(self.channels)}</Channel>\r\n</Response>\r\n')
            self.request("MESSAGE", body, "Application/MANSCDP+xml")
        elif command == "DeviceStatus":
            body = (f'<?xml version="1.0" encoding="GB2312"?>\r\n<Response>\r\n<CmdType>DeviceStatus</CmdType>\r\n<SN>{sn}</SN>\r\n'
                    f'<DeviceID>{self.code}</DeviceID>\r\n<Result>OK</Result>\r\n<Online>ONLINE</Online>\r\n<Status>OK</Status>\r\n'
                    f'<Encode>ON</Encode>\r\n<Record>OFF</Record>\r\n<DeviceTime>2026-11-21T10:00:00</DeviceTime>\r\n</Response>\r\n')
            self.request("MESSAGE", body, "Application/MANSCDP+xml")

    # Media --------------------------------------------------------------------------------------

    def answer_invite(self, headers, body):
        self.invites.append(body)
        ip = re.search(r"^c=IN IP4 (\S+)", body, re.M)
        port = re.search(r"^m=video (\d+)", body, re.M)
        ssrc = re.search(r"^y=(\d+)", body, re.M)
        if not (ip and port) or not self.ps_file:
            lines = ["SIP/2.0 488 Not Acceptable Here", f"Via: {headers.get('via', '')}", f"From: {headers.get('from', '')}",
                     f"To: {headers.get('to', '')};tag={tag()}", f"Call-ID: {headers.get('call-id', '')}",
                     f"CSeq: {headers.get('cseq', '')}", "Content-Length: 0"]
            self.send("\r\n".join(lines) + "\r\n\r\n")
            return
        ssrc = ssrc.group(1) if ssrc else "0100000001"
        media = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        media.bind((self.host, 0))
        sdp = (f"v=0\r\no={self.code} 0 0 IN IP4 {self.host}\r\ns=Play\r\nc=IN IP4 {self.host}\r\nt=0 0\r\n"
               f"m=video {media.getsockname()[1]} RTP/AVP 96\r\na=sendonly\r\na=rtpmap:96 PS/90000\r\ny={ssrc}\r\n")
        lines = ["SIP/2.0 200 OK", f"Via: {headers.get('via', '')}", f"From: {headers.get('from', '')}",
                 f"To: {headers.get('to', '')};tag={tag()}", f"Call-ID: {headers.get('call-id', '')}",
                 f"CSeq: {headers.get('cseq', '')}", f"Contact: <sip:{self.code}@{self.host}:{self.port}>",
                 "Content-Type: APPLICATION/SDP", f"Content-Length: {len(sdp.encode())}"]
        self.send("\r\n".join(lines) + "\r\n\r\n" + sdp)
        stop = threading.Event()
        self.streams[headers.get("call-id", "")] = stop
        threading.Thread(target=self.stream, args=(media, (ip.group(1), int(port.group(1))), int(ssrc), stop), daemon=True).start()

    def stream(self, media, target, ssrc, stop, loops=1):
        """The PS file's packs as RTP (payload 96), timestamps from their PTS, paced in real time."""
        with open(self.ps_file, "rb") as handle:
            data = handle.read()
        starts = [m.start() for m in re.finditer(b"\x00\x00\x01\xba", data)] + [len(data)]
        packs = [data[a:b] for a, b in zip(starts, starts[1:])]
        seq = random.randrange(1 << 16)
        base = None
        offset = 0
        last = 0
        started = time.time()
        try:
            for loop in range(loops):
                for pack in packs:
                    if stop.is_set() or not self.running:
                        return
                    pes = pack.find(b"\x00\x00\x01\xe0")
                    if pes >= 0 and pack[pes + 7] & 0x80:
                        b = pack[pes + 9:pes + 14]
                        pts = ((b[0] >> 1) & 7) << 30 | b[1] << 22 | (b[2] >> 1) << 15 | b[3] << 7 | (b[4] >> 1)
                        if base is None:
                            base = pts
                        last = pts - base + offset
                    delay = started + last / 90000 - time.time()
                    if delay > 0:
                        time.sleep(delay)
                    chunks = [pack[i:i + 1400] for i in range(0, len(pack), 1400)]
                    for index, chunk in enumerate(chunks):
                        marker = 0x80 if index == len(chunks) - 1 else 0
                        header = bytes([0x80, marker | 96, (seq >> 8) & 0xFF, seq & 0xFF]) + (last & 0xFFFFFFFF).to_bytes(4, "big") + ssrc.to_bytes(4, "big")
                        media.sendto(header + chunk, target)
                        seq = (seq + 1) & 0xFFFF
                offset = last + 3600
                base = None
        finally:
            media.close()

    def close(self):
        self.running = False
        try:
            self.sock.close()
        except OSError:
            pass

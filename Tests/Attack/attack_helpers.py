"""Small helpers for the attack suite: an HTTP client that never raises on a status, the gbshare
process (command line and `serve`), a bare UDP SIP endpoint with digest, and CSV rows.

Standard library only; everything talks to 127.0.0.1."""
import csv
import hashlib
import io
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TESTS, "Smoke"))
sys.path.insert(0, os.path.join(TESTS, "Browser"))

from release_smoke import free_port  # noqa: E402  (a port free for both TCP and UDP)
from sip_device import keepalive_body  # noqa: E402


# HTTP -------------------------------------------------------------------------------------------

class Answer:
    """One HTTP answer: status, headers, raw body and (when it is JSON) the parsed body."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        try:
            self.json = json.loads(body.decode("utf-8")) if body else None
        except (ValueError, UnicodeDecodeError):
            self.json = None

    @property
    def error_code(self):
        """`error.code` of the API's error body, or None."""
        if isinstance(self.json, dict) and isinstance(self.json.get("error"), dict):
            return self.json["error"].get("code")
        return None

    def __repr__(self):
        text = self.body[:300].decode("utf-8", errors="replace")
        return f"HTTP {self.status} {text}"


class LoginLedger:
    """The suite's own copy of the server's per-address login window (60 s from the first attempt, 60 attempts
    allowed), so the rate-limit attack knows how many attempts the server has already counted."""
    window = 60.0

    def __init__(self):
        self.started = None
        self.count = 0
        self.lock = threading.Lock()

    def hit(self):
        with self.lock:
            now = time.time()
            if self.started is None or now - self.started >= self.window:
                self.started, self.count = now, 0
            self.count += 1

    def state(self):
        """(attempts counted in the current window, seconds left in it)."""
        with self.lock:
            if self.started is None:
                return 0, 0.0
            left = self.window - (time.time() - self.started)
            return (self.count, left) if left > 0 else (0, 0.0)


class HTTP:
    def __init__(self, base):
        self.base = base
        self.logins = LoginLedger()

    def call(self, method, path, body=None, token=None, raw=None, content_type=None, headers=None, timeout=30):
        """One request; returns an Answer for every status (urllib's HTTPError included)."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        request.add_header("Accept-Language", "en")
        if data is not None:
            request.add_header("Content-Type", content_type or "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if path.startswith("/api/v1/auth/login"):
            self.logins.hit()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())

    def get(self, path, token=None, **query):
        if query:
            path += "?" + urllib.parse.urlencode(query)
        return self.call("GET", path, token=token)

    def post(self, path, body=None, token=None):
        return self.call("POST", path, body=body, token=token)

    def login(self, username, password):
        return self.post("/api/v1/auth/login", {"username": username, "password": password})

    def token(self, username, password):
        answer = self.login(username, password)
        if answer.status != 200:
            raise RuntimeError(f"login of {username} failed: {answer}")
        return answer.json["token"]

    def upload(self, path, filename, content, token):
        """multipart/form-data with one `file` part, as the console uploads an import."""
        boundary = f"----attack{random.randrange(1 << 40):x}"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
                f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.call("POST", path, raw=body, token=token, content_type=f"multipart/form-data; boundary={boundary}")


# gbshare ----------------------------------------------------------------------------------------

class GBShare:
    """A data folder, a config file, the command line and one `gbshare serve`."""

    def __init__(self, binary, config):
        self.binary = os.path.abspath(binary)
        self.root = tempfile.mkdtemp(prefix="gbshare-attack-")
        # The data folder is made by gbshare itself, so its mode is gbshare's doing (attack 11).
        self.data = os.path.join(self.root, "data")
        self.config_path = os.path.join(self.root, "config.json")
        with open(self.config_path, "w", encoding="utf-8") as handle:
            json.dump(config, handle)
        self.log_path = os.path.join(self.root, "serve.log")
        self.process = None
        self.http_port = self.sip_port = self.rtp_port = None

    def cli(self, *args, stdin=None, check=True, timeout=120):
        result = subprocess.run([self.binary, *args, "--config", self.config_path, "--data", self.data],
                                input=stdin, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise RuntimeError(f"gbshare {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def add_user(self, name, password, role=None, department=None, division="441500", display_name=None, check=True):
        args = ["user", "add", name] + (["--admin"] if role is None else ["--role", role])
        if department:
            args += ["--department", department]
        if division:
            args += ["--division", division]
        if display_name:
            args += ["--display-name", display_name]
        return self.cli(*args, stdin=password + "\n", check=check)

    def serve(self, device_password):
        self.http_port = free_port()
        self.sip_port = free_port()
        self.rtp_port = free_port()
        log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--config", self.config_path, "--data", self.data,
             "--http-host", "127.0.0.1", "--http-port", str(self.http_port),
             "--sip-host", "127.0.0.1", "--sip-port", str(self.sip_port), "--rtp-port", str(self.rtp_port),
             "--device-password", device_password],
            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gbshare serve exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/vendor/status.json", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"gbshare serve did not answer within 60 s:\n{self.log_tail()}")

    def stop(self):
        """SIGTERM; returns (exit code, seconds it took) or (None, 10+) when it had to be killed."""
        if not self.process or self.process.poll() is not None:
            return (self.process.returncode if self.process else None), 0.0
        started = time.time()
        self.process.terminate()
        try:
            code = self.process.wait(timeout=10)
            return code, time.time() - started
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None, time.time() - started

    def log_tail(self, chars=3000):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as handle:
                return handle.read()[-chars:]
        except OSError:
            return ""


# Directory CSV ----------------------------------------------------------------------------------

def simulated_rows(binary, cameras, department, serial, division="441502"):
    """`gbshare simulate --print-directory` rows (header, rows): the directory's own format and codes whose
    industry digits fit the department, so the rows are clean and shareable."""
    out = subprocess.run([binary, "simulate", "--cameras", str(cameras), "--department", department, "--serial", str(serial),
                          "--division", division, "--print-directory"], capture_output=True, check=True).stdout
    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def csv_bytes(header, rows):
    """UTF-8 with BOM and CRLF, as the export writes it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def read_csv(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# SIP --------------------------------------------------------------------------------------------

def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def tag():
    return f"{random.randrange(1 << 32):x}"


class SIPMessage:
    def __init__(self, raw, source):
        self.raw = raw
        self.source = source
        text = raw.decode("utf-8", errors="replace")
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.first = lines[0]
        self.headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers.setdefault(name.strip().lower(), value.strip())
        self.is_response = self.first.startswith("SIP/2.0")
        self.status = int(self.first.split()[1]) if self.is_response else None
        self.reason = self.first.split(" ", 2)[2] if self.is_response and len(self.first.split(" ", 2)) > 2 else ""
        self.method = None if self.is_response else self.first.split()[0]

    def header(self, name):
        return self.headers.get(name.lower(), "")

    def __repr__(self):
        return self.first


class SIPEndpoint:
    """One UDP socket on 127.0.0.1 speaking for a device code. It answers every request the platform sends
    (MESSAGE queries, SUBSCRIBE) with 200 so the platform's transactions end, keeps them for inspection, and
    hands responses to whoever waits for them by CSeq."""

    def __init__(self, code, platform_port, password, platform_id="34020000002000000001"):
        self.code = code
        self.platform = ("127.0.0.1", platform_port)
        self.platform_id = platform_id
        self.domain = platform_id[:10]
        self.password = password
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.cseq = random.randrange(100, 1000)
        self.call_id = f"{tag()}@127.0.0.1"
        self.from_tag = tag()
        self.responses = []
        self.requests = []  # requests the platform sent here
        self.lock = threading.Lock()
        self.running = True
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    @property
    def uri(self):
        return f"sip:{self.platform_id}@{self.domain}"

    def next_cseq(self):
        with self.lock:
            self.cseq += 1
            return self.cseq

    def build(self, method, cseq, extra=(), body="", content_type=None, to_user=None, call_id=None, from_user=None):
        to_user = to_user or (self.code if method == "REGISTER" else self.platform_id)
        lines = [
            f"{method} {self.uri} SIP/2.0",
            f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};rport;branch=z9hG4bK{tag()}",
            f"From: <sip:{from_user or self.code}@{self.domain}>;tag={self.from_tag}",
            f"To: <sip:{to_user}@{self.domain}>",
            f"Call-ID: {call_id or (self.call_id if method == 'REGISTER' else tag() + '@127.0.0.1')}",
            f"CSeq: {cseq} {method}",
            f"Contact: <sip:{from_user or self.code}@127.0.0.1:{self.port}>",
            "Max-Forwards: 70",
            "User-Agent: GBShare attack suite",
            *extra,
        ]
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        encoded = body.encode("utf-8")
        lines.append(f"Content-Length: {len(encoded)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + encoded

    def send_raw(self, data):
        self.sock.sendto(data, self.platform)

    def transact(self, data, cseq, timeout=5):
        """Sends `data` and returns the final response to `cseq` (provisional ones skipped)."""
        self.send_raw(data)
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                for message in self.responses:
                    if re.match(rf"\s*{cseq}\s", message.header("cseq")) and message.status >= 200:
                        self.responses.remove(message)
                        return message
            time.sleep(0.01)
        raise TimeoutError(f"no answer to CSeq {cseq} from the platform")

    def authorization(self, challenge, qop=True, nc=1, method="REGISTER", password=None):
        realm = re.search(r'realm="([^"]*)"', challenge).group(1)
        nonce = re.search(r'nonce="([^"]*)"', challenge).group(1)
        ha1 = md5(f"{self.code}:{realm}:{password or self.password}")
        ha2 = md5(f"{method}:{self.uri}")
        if qop and "auth" in challenge:
            cnonce, count = tag(), f"{nc:08x}"
            response = md5(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")
            return (f'Authorization: Digest username="{self.code}", realm="{realm}", nonce="{nonce}", uri="{self.uri}", '
                    f'response="{response}", algorithm=MD5, cnonce="{cnonce}", qop=auth, nc={count}')
        response = md5(f"{ha1}:{nonce}:{ha2}")
        return (f'Authorization: Digest username="{self.code}", realm="{realm}", nonce="{nonce}", uri="{self.uri}", '
                f'response="{response}", algorithm=MD5')

    def register(self, expires=3600, qop=True, password=None):
        """The two-step REGISTER; returns (final response, the bytes of the authorised REGISTER)."""
        cseq = self.next_cseq()
        first = self.transact(self.build("REGISTER", cseq, [f"Expires: {expires}"]), cseq)
        if first.status != 401:
            return first, None
        auth = self.authorization(first.header("www-authenticate"), qop=qop, password=password)
        cseq = self.next_cseq()
        data = self.build("REGISTER", cseq, [f"Expires: {expires}", auth])
        return self.transact(data, cseq), data

    def message(self, body, from_user=None):
        cseq = self.next_cseq()
        return self.transact(self.build("MESSAGE", cseq, body=body, content_type="Application/MANSCDP+xml", from_user=from_user), cseq)

    def keepalive(self, device=None):
        device = device or self.code
        return self.message(keepalive_body(device), from_user=device)

    def _loop(self):
        while self.running:
            try:
                data, source = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            message = SIPMessage(data, source)
            if message.is_response:
                with self.lock:
                    self.responses.append(message)
                continue
            with self.lock:
                self.requests.append(message)
            if message.method != "ACK":
                self.sock.sendto(self.ok(message), source)

    @staticmethod
    def ok(request):
        h = request.header
        lines = ["SIP/2.0 200 OK", f"Via: {h('via')}", f"From: {h('from')}", f"To: {h('to')};tag={tag()}",
                 f"Call-ID: {h('call-id')}", f"CSeq: {h('cseq')}"]
        if request.method == "SUBSCRIBE":
            lines.append(f"Expires: {h('expires') or '3600'}")
        lines.append("Content-Length: 0")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def received(self, method, contains=""):
        with self.lock:
            return [m for m in self.requests if m.method == method and contains in m.body]

    def close(self):
        self.running = False
        try:
            self.sock.close()
        except OSError:
            pass

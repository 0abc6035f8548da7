#!/usr/bin/env python3
"""Smoke test of the release binary that `scripts/serve` builds, the way a newcomer starts it.

    python3 Tests/Smoke/release_smoke.py [.build/release/gbshare]

A fresh data folder, the first administrator created as the README says (password piped to
`gbshare user add`), `gbshare serve` on ports the kernel reports free, login through the API, a camera
filed, the console's first page and its script loaded, then SIGTERM: the server must exit cleanly
within 10 s. Exit status 0 only when every step passed; each step prints one line.

Why it exists: a release-only compiler crash once shipped because the test command built only the
debug configuration. scripts/test runs this after `swift build -c release`.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

BINARY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/gbshare")
PASSWORD = "Smoke-test-passw0rd!"
CAMERA = {
    "code": "44150200001320000001", "name": "汕尾市城区冒烟测试点", "division": "441502", "department": "29",
    "pointClass": "2", "cameraType": "3", "networkStatus": "2", "address": "广东省汕尾市城区测试路1号",
    "longitude": "115.375", "latitude": "22.786", "coordinateSystem": "WGS84", "shareAttribute": "0",
    "defaultPermissions": "1,2", "retentionDays": "30", "builder": "汕尾市政务服务数据管理局",
    "manager": "汕尾市政务服务数据管理局", "managerPhone": "0660-3300000",
}


def free_port(kind=socket.SOCK_STREAM):
    """A port free for both TCP and UDP (SIP and RTP bind both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                    udp.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port on 127.0.0.1")


def call(base, method, path, body=None, token=None, accept="application/json"):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Accept", accept)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


class Smoke:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def step(self, name, function):
        started = time.monotonic()
        try:
            detail = function()
        except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the report
            self.failed += 1
            print(f"release smoke: FAIL {name}: {error}", flush=True)
            return None
        self.passed += 1
        print(f"release smoke: ok   {name} ({time.monotonic() - started:.2f} s){': ' + detail if isinstance(detail, str) else ''}", flush=True)
        return detail


def main():
    if not os.access(BINARY, os.X_OK):
        print(f"release smoke: {BINARY} not found: build it with swift build -c release --product gbshare", file=sys.stderr)
        return 1
    smoke = Smoke()
    folder = tempfile.mkdtemp(prefix="gbshare-smoke-")
    data = os.path.join(folder, "data")
    http_port, sip_port, rtp_port = free_port(), free_port(), free_port()
    base = f"http://127.0.0.1:{http_port}"
    log_path = os.path.join(folder, "serve.log")
    server = None
    token = None
    try:
        def add_admin():
            result = subprocess.run([BINARY, "user", "add", "admin", "--admin", "--department", "29", "--data", data],
                                    input=PASSWORD + "\n", text=True, capture_output=True, timeout=120)
            if result.returncode != 0:
                raise RuntimeError(f"gbshare user add exited {result.returncode}: {result.stderr.strip()}")
            return result.stdout.strip()
        smoke.step("first administrator (echo PASSWORD | gbshare user add admin --admin)", add_admin)

        log = open(log_path, "w")
        server = subprocess.Popen([BINARY, "serve", "--data", data, "--http-host", "127.0.0.1", "--http-port", str(http_port),
                                   "--sip-host", "127.0.0.1", "--sip-port", str(sip_port), "--rtp-port", str(rtp_port),
                                   "--device-password", "smoke-device-password"],
                                  stdout=log, stderr=subprocess.STDOUT)

        def answers():
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if server.poll() is not None:
                    raise RuntimeError(f"gbshare serve exited {server.returncode} at start-up")
                try:
                    status, _ = call(base, "GET", "/api/v1/openapi.json")
                    if status == 200:
                        return f"{base}"
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.2)
            raise RuntimeError("no HTTP answer within 60 s")
        smoke.step("gbshare serve answers", answers)

        def login():
            nonlocal token
            _, body = call(base, "POST", "/api/v1/auth/login", {"username": "admin", "password": PASSWORD})
            token = json.loads(body)["token"]
            _, me = call(base, "GET", "/api/v1/auth/me", token=token)
            me = json.loads(me)
            if me.get("role") != "system_admin":
                raise RuntimeError(f"logged in as {me}")
            return "admin is system_admin"
        smoke.step("log in through the API", login)

        def file_camera():
            status, body = call(base, "POST", "/api/v1/cameras", CAMERA, token=token)
            if status != 201:
                raise RuntimeError(f"HTTP {status}: {body[:300]!r}")
            _, body = call(base, "GET", f"/api/v1/cameras/{CAMERA['code']}", token=token)
            if json.loads(body)["record"]["name"] != CAMERA["name"]:
                raise RuntimeError("the filed camera reads back differently")
            return CAMERA["code"]
        smoke.step("file a camera", file_camera)

        def console():
            status, page = call(base, "GET", "/", accept="text/html")
            text = page.decode()
            if status != 200 or "GBShare" not in text:
                raise RuntimeError(f"HTTP {status}, {len(text)} bytes")
            scripts = [part.split('"')[0] for part in text.split('src="')[1:]]
            if not scripts:
                raise RuntimeError("the first page names no script")
            for script in scripts:
                status, body = call(base, "GET", script if script.startswith("/") else "/" + script, accept="*/*")
                if status != 200 or not body:
                    raise RuntimeError(f"{script}: HTTP {status}")
            return f"{len(text)} bytes, scripts {', '.join(scripts)}"
        smoke.step("load the console's first page", console)

        def stop():
            started = time.monotonic()
            server.send_signal(signal.SIGTERM)
            try:
                code = server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                raise RuntimeError("still running 10 s after SIGTERM")
            if code != 0:
                raise RuntimeError(f"exit status {code} after SIGTERM")
            return f"exit 0 after {time.monotonic() - started:.2f} s"
        smoke.step("SIGTERM stops it cleanly within 10 s", stop)
    finally:
        if server and server.poll() is None:
            server.kill()
            server.wait()
        if smoke.failed and os.path.exists(log_path):
            print("release smoke: the server's log:\n" + open(log_path).read()[-6000:], flush=True)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"release smoke: {smoke.passed} steps passed, {smoke.failed} failed", flush=True)
    return 0 if smoke.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""GBShare attack suite: the attacks of the security issue, end to end against a real `gbshare serve`.

    /usr/bin/python3 Tests/Attack/attack_suite.py [path/to/gbshare]     (default .build/release/gbshare)

Each attack prints `PASS attack <id>: <what must be refused>` when the server refused it the way it should
(the concrete status, error code, unchanged record or audit entry), or `FAIL attack <id>: <what> : <what
happened>`. The suite goes on after a failure and exits 1 if any attack failed. See README.md."""
import datetime
import json
import os
import re
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

sys.dont_write_bytecode = True  # no __pycache__ left in the worktree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from attack_helpers import (GBShare, HTTP, SIPEndpoint, csv_bytes, free_port, read_csv, simulated_rows, tag)  # noqa: E402

DEVICE_PASSWORD = "Device#2026pw"
PLATFORM_ID = "34020000002000000001"

# name → (password, role (None: system administrator), department). Every account's division is the city.
USERS = {
    "admin": ("Admin#2026pass", None, None),
    "auditor": ("Audit#2026pass", "auditor", None),
    "bureau": ("Bureau#2026pass", "data_bureau_reviewer", "29"),
    "p_op": ("Police#2026op", "department_operator", "06"),
    "p_admin": ("Police#2026adm", "department_admin", "06"),
    "p_rev": ("Police#2026rev", "police_reviewer", "06"),
    "h_op": ("Health#2026op", "department_operator", "19"),
    "h_op2": ("Health#2026op2", "department_operator", "19"),
    "h_admin": ("Health#2026adm", "department_admin", "19"),
    "t_op": ("Transp#2026op", "department_operator", "04"),
    # Victims of the login attacks; nobody else uses them.
    "v_lock": ("Victim#2026lock", "department_operator", "19"),
    "v_seq": ("Victim#2026seq", "department_operator", "19"),
    "v_term": ("Victim#2026term", "department_operator", "19"),
    "v_rate": ("Victim#2026rate", "department_operator", "19"),
}
# Users that log in at setup (a token each); the victims log in inside their attacks.
LOGGED_IN = ["admin", "auditor", "bureau", "p_op", "p_admin", "p_rev", "h_op", "h_op2", "h_admin", "t_op"]


def code(division_and_industry, serial):
    """A 20-digit camera code (type 132) as `gbshare simulate` makes them: 441502 00 <industry> 132 0 <serial>."""
    return f"{division_and_industry}1320{serial:06d}"


# Police (06, industry 00) and health (19, industry 09) cameras of the directory.
P1, P2, P3 = (code("44150200" + "00", n) for n in (1, 2, 3))      # P1: simulated device (playback); P2: SIP attacks
H1, H2, H3, H4 = (code("44150200" + "09", n) for n in (101, 102, 103, 104))
UNFILED = code("44150200" + "00", 777)


class AttackFailed(Exception):
    pass


def check(condition, what):
    """Fails the running attack with `what` (what happened instead of the refusal) unless `condition`."""
    if not condition:
        raise AttackFailed(what)


def utc(dt):
    return dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# The world ---------------------------------------------------------------------------------------

class World:
    """One server with users, cameras of two departments, a simulated police camera and a syslog listener."""

    def __init__(self, binary):
        self.binary = binary
        # Audit entries go to this UDP "syslog server" too (attack 15b reads them).
        self.syslog = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.syslog.bind(("127.0.0.1", 0))
        self.syslog.settimeout(0.2)
        self.syslog_lines = []
        self.running = True
        threading.Thread(target=self._read_syslog, daemon=True).start()
        self.gb = GBShare(binary, {"bcryptCost": 4, "auditSyslog": {"host": "127.0.0.1", "port": self.syslog.getsockname()[1]}})
        self.tokens = {}
        self.state = {}
        self.simulator = None

    def _read_syslog(self):
        while self.running:
            try:
                data, _ = self.syslog.recvfrom(65535)
                self.syslog_lines.append(data)
            except socket.timeout:
                continue
            except OSError:
                return

    def setup(self):
        for name, (password, role, department) in USERS.items():
            self.gb.add_user(name, password, role=role, department=department, display_name=f"{name} attack")
        # Police cameras: P1 unconditional (shared at once: the playback grant of attack 6), P2 and P3 conditional.
        header, police = simulated_rows(self.binary, 3, "06", 1)
        _, health = simulated_rows(self.binary, 4, "19", 101)
        share = header.index("共享属性")
        for row, attribute in zip(police + health, ["1", "0", "0", "0", "0", "0", "0"]):
            row[share] = attribute
        self.header = header
        self.rows = {row[0]: row for row in police + health}
        path = os.path.join(self.gb.root, "directory.csv")
        with open(path, "wb") as handle:
            handle.write(csv_bytes(header, police + health))
        self.gb.cli("directory", "import", path)
        self.gb.serve(DEVICE_PASSWORD)
        self.http = HTTP(f"http://127.0.0.1:{self.gb.http_port}")
        for name in LOGGED_IN:
            self.tokens[name] = self.http.token(name, USERS[name][0])

    def start_simulator(self):
        """`gbshare simulate` as the police camera P1: it answers live and playback INVITEs with its clip."""
        if self.simulator:
            return
        log = open(os.path.join(self.gb.root, "simulate.log"), "w", encoding="utf-8")
        self.simulator = subprocess.Popen(
            [self.binary, "simulate", "--cameras", "1", "--department", "06", "--serial", "1", "--division", "441502",
             "--platform", f"127.0.0.1:{self.gb.sip_port}", "--platform-id", PLATFORM_ID, "--password", DEVICE_PASSWORD,
             "--config", self.gb.config_path, "--data", self.gb.data],
            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 15
        while time.time() < deadline:
            device = self.api("GET", f"/api/v1/devices/{P1}", "admin")
            if device.status == 200 and device.json.get("online"):
                return
            time.sleep(0.2)
        raise RuntimeError("the simulated camera did not register within 15 s")

    def api(self, method, path, who=None, body=None):
        return self.http.call(method, path, body=body, token=self.tokens.get(who) if who else None)

    def audit(self, **filters):
        """Audit entries (newest first) the auditor finds with these filters."""
        answer = self.http.get("/api/v1/audit", token=self.tokens["auditor"], limit=200, **filters)
        if answer.status != 200:
            raise AttackFailed(f"the auditor could not read the audit log: {answer}")
        return answer.json["entries"]

    def camera(self, camera_code):
        answer = self.api("GET", f"/api/v1/cameras/{camera_code}", "admin")
        if answer.status != 200:
            raise AttackFailed(f"GET camera {camera_code} as admin: {answer}")
        return answer.json

    def close(self):
        self.running = False
        if self.simulator and self.simulator.poll() is None:
            self.simulator.terminate()
            try:
                self.simulator.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.simulator.kill()
        self.gb.stop()
        self.syslog.close()


# 1. Directory import across departments ---------------------------------------------------------

def attack_1a_import_moves_police_camera(w):
    """A health operator imports rows that move a police camera into health and change another's share attribute."""
    before3, before2 = w.camera(P3), w.camera(P2)
    moved = list(w.rows[P3])
    moved[w.header.index("摄像机所属部门/行业")] = "19"
    reshared = list(w.rows[P2])
    reshared[w.header.index("共享属性")] = "1"
    upload = w.http.upload("/api/v1/directory/imports", "takeover.csv", csv_bytes(w.header, [moved, reshared]), w.tokens["h_op"])
    check(upload.status == 201, f"upload by h_op: expected 201, got {upload}")
    import_id = upload.json["id"]
    w.state["health_import"] = import_id
    confirm = w.api("POST", f"/api/v1/directory/imports/{import_id}/confirm", "h_op")
    check(confirm.status == 200, f"confirm by h_op: expected 200 with refusals, got {confirm}")
    refused = {r["code"]: r["reason"] for r in confirm.json.get("refusals", [])}
    check(refused.get(P3) == "other_department" and refused.get(P2) == "other_department",
          f"confirm answer should refuse both rows as other_department, refusals={confirm.json.get('refusals')}")
    check(confirm.json["summary"].get("updated", 0) == 0, f"confirm says rows were updated: {confirm.json['summary']}")
    after3, after2 = w.camera(P3), w.camera(P2)
    check(after3["record"] == before3["record"] and after3["updatedAt"] == before3["updatedAt"],
          f"police camera {P3} changed: department {before3['record']['department']} → {after3['record']['department']}")
    check(after2["record"]["shareAttribute"] == before2["record"]["shareAttribute"] == "0",
          f"police camera {P2} share attribute changed to {after2['record']['shareAttribute']}")
    denied = [e for e in w.audit(action="access.denied", camera=P3) if e["draft"]["target"] == f"import:{import_id}"]
    check(denied and denied[0]["draft"]["actor"] == "h_op" and "other_department" in denied[0]["draft"]["detail"],
          f"no access.denied audit entry for the refused row of import {import_id}: {denied}")


def attack_1b_pending_import_of_another_user(w):
    """A pending health import cannot be read, listed or confirmed by another user (404), its own department's admin included."""
    row = list(w.rows[P3])
    row[w.header.index("设备名称")] = "renamed by another department"
    upload = w.http.upload("/api/v1/directory/imports", "pending.csv", csv_bytes(w.header, [row]), w.tokens["h_op"])
    check(upload.status == 201, f"upload by h_op: expected 201, got {upload}")
    import_id = upload.json["id"]
    for who in ("p_op", "h_admin", "h_op2"):
        for method, path in (("GET", f"/api/v1/directory/imports/{import_id}"),
                             ("GET", f"/api/v1/directory/imports/{import_id}/findings"),
                             ("POST", f"/api/v1/directory/imports/{import_id}/confirm"),
                             ("DELETE", f"/api/v1/directory/imports/{import_id}")):
            answer = w.api(method, path, who)
            check(answer.status == 404 and answer.error_code == "not_found",
                  f"{method} {path} as {who}: expected 404 not_found, got {answer}")
    mine = w.api("GET", f"/api/v1/directory/imports/{import_id}", "h_op")
    check(mine.status == 200 and mine.json["status"] == "checked",
          f"the import should still be pending for its owner, got {mine}")
    w.api("DELETE", f"/api/v1/directory/imports/{import_id}", "h_op")


# 2. Editing a camera's code or network status ---------------------------------------------------

def attack_2_patch_code_and_network_status(w):
    """PATCH a police camera's filed code onto another code (409 code_immutable) and its network status (409)."""
    before = w.camera(P3)
    recode = w.api("PATCH", f"/api/v1/cameras/{P3}", "p_op", {"code": H1})
    check(recode.status == 409 and recode.error_code == "code_immutable", f"PATCH code: expected 409 code_immutable, got {recode}")
    status = "0" if before["record"]["networkStatus"] != "0" else "1"
    online = w.api("PATCH", f"/api/v1/cameras/{P3}", "p_op", {"networkStatus": status})
    check(online.status == 409 and online.error_code == "network_status_platform",
          f"PATCH networkStatus: expected 409 network_status_platform, got {online}")
    # Mixed with an allowed field, the whole change is refused.
    mixed = w.api("PATCH", f"/api/v1/cameras/{P3}", "p_op", {"name": "mixed", "code": H2})
    check(mixed.status == 409, f"PATCH name+code: expected 409, got {mixed}")
    after = w.camera(P3)
    check(after["record"] == before["record"], f"camera {P3} changed: {after['record']['code']} {after['record']['name']}")
    # Control: the operator may edit its own camera at all (so the 409s are the rule, not a lack of rights).
    rename = w.api("PATCH", f"/api/v1/cameras/{P3}", "p_op", {"address": "attack suite 3"})
    check(rename.status == 200, f"control: p_op could not edit its own camera's address: {rename}")


# 3. SIP device hijack -----------------------------------------------------------------------------

def device(w, device_code):
    answer = w.api("GET", f"/api/v1/devices/{device_code}", "admin")
    check(answer.status == 200, f"GET /api/v1/devices/{device_code}: {answer}")
    return answer.json


def registered_device(w):
    """P2 registered with digest from socket A (kept for attacks 3, 4 and 5)."""
    if "sip_a" in w.state:
        return w.state["sip_a"]
    a = SIPEndpoint(P2, w.gb.sip_port, DEVICE_PASSWORD, PLATFORM_ID)
    answer, data = a.register(qop=True)
    check(answer.status == 200, f"device A could not register {P2}: {answer.first}")
    w.state["sip_a"], w.state["sip_a_register"] = a, data
    deadline = time.time() + 3
    while time.time() < deadline and not a.received("SUBSCRIBE", "<CmdType>Catalog</CmdType>"):
        time.sleep(0.05)
    stored = device(w, P2)
    check(stored["online"] and stored["address"] == f"127.0.0.1:{a.port}", f"after A's REGISTER the device reads {stored}")
    return a


def attack_3a_keepalive_from_another_socket(w):
    """A keepalive naming a registered device from another socket does not move the device (404)."""
    a = registered_device(w)
    control = a.keepalive()
    check(control.status == 200, f"control: A's own keepalive got {control.first}")
    b = SIPEndpoint(P2, w.gb.sip_port, DEVICE_PASSWORD, PLATFORM_ID)
    try:
        answer = b.keepalive()
        check(answer.status == 404, f"keepalive from B (port {b.port}): expected 404, got {answer.first}")
        time.sleep(0.3)
        stored = device(w, P2)
        check(stored["address"] == f"127.0.0.1:{a.port}",
              f"the device's address moved to {stored['address']} (A is {a.port}, B is {b.port})")
    finally:
        b.close()


def attack_3b_catalog_from_another_socket(w):
    """A catalog Response MESSAGE and a catalog NOTIFY for a registered device from another socket are refused (403)."""
    a = registered_device(w)
    b = SIPEndpoint(P2, w.gb.sip_port, DEVICE_PASSWORD, PLATFORM_ID)
    forged = code("44150200" + "00", 999)
    item = (f"<Item><DeviceID>{forged}</DeviceID><Name>forged</Name><Manufacturer>x</Manufacturer><Model>x</Model>"
            f"<Owner>x</Owner><CivilCode>441502</CivilCode><Address>x</Address><Parental>0</Parental><ParentID>{P2}</ParentID>"
            f"<SafetyWay>0</SafetyWay><RegisterWay>1</RegisterWay><Secrecy>0</Secrecy><Status>ON</Status></Item>")
    try:
        response = (f'<?xml version="1.0" encoding="GB2312"?>\r\n<Response>\r\n<CmdType>Catalog</CmdType>\r\n<SN>{int(tag(), 16) % 99999}</SN>\r\n'
                    f'<DeviceID>{P2}</DeviceID>\r\n<SumNum>1</SumNum>\r\n<DeviceList Num="1">{item}</DeviceList>\r\n</Response>\r\n')
        answer = b.message(response)
        check(answer.status == 403, f"catalog Response MESSAGE from B: expected 403, got {answer.first}")
        subscriptions = a.received("SUBSCRIBE", "<CmdType>Catalog</CmdType>")
        check(subscriptions, "the platform sent A no catalog SUBSCRIBE, so there is no Call-ID to forge a NOTIFY on")
        call_id = subscriptions[-1].header("call-id")
        notify_body = (f'<?xml version="1.0" encoding="GB2312"?>\r\n<Notify>\r\n<CmdType>Catalog</CmdType>\r\n<SN>17</SN>\r\n'
                       f'<DeviceID>{P2}</DeviceID>\r\n<SumNum>1</SumNum>\r\n<DeviceList Num="1">{item}</DeviceList>\r\n</Notify>\r\n')
        cseq = b.next_cseq()
        data = b.build("NOTIFY", cseq, ["Event: Catalog", "Subscription-State: active;expires=3600"], body=notify_body,
                       content_type="Application/MANSCDP+xml", call_id=call_id)
        notify = b.transact(data, cseq)
        check(notify.status == 403, f"catalog NOTIFY on the subscription's Call-ID from B: expected 403, got {notify.first}")
        time.sleep(0.5)
        channels = w.api("GET", f"/api/v1/devices/{P2}/channels", "admin")
        check(channels.status == 200 and forged not in [c["code"] for c in channels.json],
              f"the forged channel {forged} was stored under {P2}: {channels}")
    finally:
        b.close()


# 4. Digest replay and the directory oracle --------------------------------------------------------

def replayed(data, port):
    """The captured REGISTER with a new Via (the attacker's port, a new branch) and CSeq; Authorization kept."""
    text = data.decode()
    head, _, body = text.partition("\r\n\r\n")
    lines = []
    cseq = int(tag(), 16) % 100000 + 1000
    for line in head.split("\r\n"):
        if line.lower().startswith("via:"):
            line = f"Via: SIP/2.0/UDP 127.0.0.1:{port};rport;branch=z9hG4bK{tag()}"
        elif line.lower().startswith("cseq:"):
            line = f"CSeq: {cseq} REGISTER"
        lines.append(line)
    return "\r\n".join(lines) + "\r\n\r\n" + body, cseq


def attack_4a_register_replay(w):
    """A captured REGISTER (qop and plain digest) sent again from another socket, also with Expires: 0, is refused."""
    a = registered_device(w)
    c = SIPEndpoint(P2, w.gb.sip_port, DEVICE_PASSWORD, PLATFORM_ID)
    try:
        captures = [("qop=auth", w.state["sip_a_register"])]
        # A refresh without qop: a nonce answered that way is good for one request only.
        answer, plain = a.register(qop=False)
        check(answer.status == 200, f"A's refresh without qop: {answer.first}")
        captures.append(("no qop", plain))
        for label, captured in captures:
            for expires in (None, "0"):
                text, cseq = replayed(captured, c.port)
                if expires is not None:
                    text = "\r\n".join("Expires: 0" if l.lower().startswith("expires:") else l for l in text.split("\r\n"))
                answer = c.transact(text.encode(), cseq)
                what = f"replayed REGISTER ({label}, Expires {expires or 'as captured'}) from C"
                check(answer.status in (401, 403), f"{what}: expected 401 or 403, got {answer.first}")
                stored = device(w, P2)
                check(stored["online"] and stored["address"] == f"127.0.0.1:{a.port}",
                      f"after the {what} the device reads online={stored['online']} address={stored['address']} (A is {a.port})")
    finally:
        c.close()


def attack_4b_register_directory_oracle(w):
    """REGISTER for an unfiled code and for a filed code with a wrong password: the same 401, then the same 403."""
    answers = {}
    for label, device_code, password in (("unfiled", UNFILED, DEVICE_PASSWORD), ("wrong password", P3, "Wrong#2026pw")):
        endpoint = SIPEndpoint(device_code, w.gb.sip_port, password, PLATFORM_ID)
        try:
            cseq = endpoint.next_cseq()
            first = endpoint.transact(endpoint.build("REGISTER", cseq, ["Expires: 3600"]), cseq)
            final, _ = endpoint.register()
            answers[label] = (first.status, final.status, final.reason)
        finally:
            endpoint.close()
    check(answers["unfiled"] == answers["wrong password"],
          f"the answers differ, which tells filed codes apart: {answers}")
    check(answers["unfiled"] == (401, 403, "Forbidden"), f"expected 401 then 403 Forbidden, got {answers['unfiled']}")


# 5. A department admin reaching into another department's devices and the platform register ------

def attack_5_department_admin_reach(w):
    """A health department admin: police device password, catalog refresh, media status, platform records → 403."""
    registered_device(w)
    platform = {"code": "44150200002000000009", "name": "Police video platform", "vendor": "attack"}
    created = w.api("POST", "/api/v1/platforms", "admin", platform)
    check(created.status == 200, f"control: the administrator could not file a platform: {created}")
    attempts = [
        ("PUT", f"/api/v1/devices/{P2}/password", {"password": "Taken#2026over"}),
        ("PUT", f"/api/v1/devices/{UNFILED}/password", {"password": "Taken#2026over"}),
        ("POST", f"/api/v1/devices/{P2}/catalog", None),
        ("PUT", f"/api/v1/devices/{P2}/charset", {"charset": "utf-8"}),
        ("GET", "/api/v1/media/status", None),
        ("POST", "/api/v1/platforms", {**platform, "name": "overwritten by health"}),
        ("POST", "/api/v1/platforms", {"code": "44150200092000000001", "name": "health's own new platform"}),
    ]
    for method, path, body in attempts:
        answer = w.api(method, path, "h_admin", body)
        check(answer.status == 403 and answer.error_code in ("other_department", "role_may_not"),
              f"{method} {path} as h_admin: expected 403 other_department/role_may_not, got {answer}")
    stored = w.api("GET", "/api/v1/platforms/44150200002000000009", "admin")
    check(stored.status == 200 and stored.json["record"]["name"] == "Police video platform",
          f"the police platform record changed: {stored}")
    check(w.api("GET", "/api/v1/platforms/44150200092000000001", "admin").status == 404, "health's refused platform was filed")
    # The device still registers with its old password (the refused PUT changed nothing).
    probe = SIPEndpoint(P2, w.gb.sip_port, "Taken#2026over", PLATFORM_ID)
    try:
        answer, _ = probe.register(expires=0)
        check(answer.status == 403, f"REGISTER with the password h_admin tried to set: expected 403, got {answer.first}")
    finally:
        probe.close()
    # Its own department's device: allowed and on record.
    own = w.api("PUT", f"/api/v1/devices/{H2}/password", "h_admin", {"password": "Health#2026dev"})
    check(own.status == 204, f"h_admin setting its own device {H2}'s password: expected 204, got {own}")
    entries = [e for e in w.audit(action="directory.platform_edit", actor="h_admin") if e["draft"]["target"] == f"device:{H2}"]
    check(entries and entries[0]["draft"]["detail"] == "password set" and entries[0]["draft"]["result"] == "ok",
          f"no audit entry for h_admin's password change of {H2}: {entries}")
    refusals = [e for e in w.audit(actor="h_admin", action="access.denied", camera=P2) if e["draft"]["target"] == "action:manage_device"]
    check(len(refusals) >= 3, f"the refused changes of police device {P2} (password, catalog, charset) are not all on record: {refusals}")


# 6. Ending access while media runs --------------------------------------------------------------

class StreamReader:
    """Reads an HTTP media response in a thread; records bytes and when it ended."""

    def __init__(self, url, token):
        request = urllib.request.Request(url)
        request.add_header("Authorization", f"Bearer {token}")
        self.response = urllib.request.urlopen(request, timeout=30)
        self.bytes = 0
        self.ended_at = None
        self.error = None
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        try:
            while True:
                chunk = self.response.read1(65536)
                if not chunk:
                    break
                self.bytes += len(chunk)
        except Exception as error:  # a reset connection is an end too
            self.error = error
        self.ended_at = time.time()

    def close(self):
        try:
            self.response.close()
        except Exception:
            pass


def attack_6a_revoke_cuts_playback(w):
    """A revoked grant cuts the grantee's running playback within seconds; a new playback is then refused."""
    w.start_simulator()
    now = datetime.datetime.now(datetime.timezone.utc)
    request = w.api("POST", "/api/v1/share-requests", "h_op", {
        "cameras": [P1], "permissions": "1,2", "purpose": "attack suite playback",
        "validFrom": utc(now - datetime.timedelta(hours=2)), "days": 1})
    check(request.status == 201 and request.json["grantIDs"], f"h_op's request for unconditional {P1} was not granted: {request}")
    grant_id = request.json["grantIDs"][0]
    w.state["health_grant"], w.state["police_request_by_health"] = grant_id, request.json["request"]["id"]
    query = urllib.parse.urlencode({"from": utc(now - datetime.timedelta(minutes=30)), "to": utc(now), "purpose": "attack suite"})
    url = f"{w.http.base}/api/v1/cameras/{P1}/playback.mp4?{query}"
    try:
        reader = StreamReader(url, w.tokens["h_op"])
    except urllib.error.HTTPError as error:
        raise AttackFailed(f"h_op's playback under grant {grant_id} did not start: HTTP {error.code} {error.read()[:200]}")
    try:
        deadline = time.time() + 10
        while time.time() < deadline and reader.bytes < 50_000 and reader.ended_at is None:
            time.sleep(0.1)
        check(reader.bytes >= 50_000 and reader.ended_at is None, f"the playback did not run before the revoke ({reader.bytes} bytes)")
        revoked_at = time.time()
        revoke = w.api("POST", f"/api/v1/grants/{grant_id}/revoke", "p_admin", {"reason": "attack suite revoke"})
        check(revoke.status == 200 and revoke.json.get("revokedAt"), f"p_admin's revoke: {revoke}")
        while time.time() < revoked_at + 10 and reader.ended_at is None:
            time.sleep(0.1)
        check(reader.ended_at is not None, f"the playback still runs 10 s after the revoke ({reader.bytes} bytes so far)")
        cut = [e for e in w.audit(action="media.stream_cut", camera=P1) if e["draft"]["grantID"].lower() == grant_id.lower()]
        check(cut and "grant_revoked" in cut[0]["draft"]["detail"], f"no media.stream_cut audit entry for grant {grant_id}: {cut}")
    finally:
        reader.close()
    again = w.http.call("GET", f"/api/v1/cameras/{P1}/playback.mp4?{query}", token=w.tokens["h_op"])
    check(again.status == 403 and again.error_code == "grant_revoked", f"a new playback after the revoke: expected 403 grant_revoked, got {again}")


def attack_6b_hls_capability_after_logout(w):
    """A live HLS capability URL stops working after its user logged out."""
    w.start_simulator()
    token = w.http.token("p_op", USERS["p_op"][0])
    request = urllib.request.Request(f"{w.http.base}/api/v1/cameras/{P1}/live.m3u8?purpose=%E5%B7%A1%E6%9F%A5")
    request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            playlist_url = response.geturl()
            check(response.status == 200 and "/api/v1/hls/" in playlist_url, f"live.m3u8 did not lead to an HLS session: {playlist_url}")
    except urllib.error.HTTPError as error:
        raise AttackFailed(f"p_op could not open live HLS of its own camera: HTTP {error.code} {error.read()[:200]}")
    path = urllib.parse.urlparse(playlist_url).path
    before = w.http.call("GET", path)
    check(before.status == 200, f"the HLS playlist did not answer before the logout: {before}")
    logout = w.http.call("POST", "/api/v1/auth/logout", token=token)
    check(logout.status == 204, f"logout: {logout}")
    # Views re-check their login every 15 s (the WebSocket and, since this attack, HTTP views too);
    # 5 s more for a loaded CI machine.
    deadline = time.time() + 20
    answer = None
    while time.time() < deadline:
        answer = w.http.call("GET", path)
        if answer.status in (401, 403, 404, 410):
            return
        time.sleep(1)
    def segments(playlist):
        return re.findall(r"^[^#\s].*$", playlist.body.decode("utf-8", errors="replace"), re.M)

    segment = w.http.call("GET", path.rsplit("/", 1)[0] + "/" + segments(answer)[-1]) if segments(answer) else None
    raise AttackFailed(f"GET {path} (no token needed) still answers {answer.status} 20 s after the logout; the playlist lists "
                       f"{len(segments(answer))} segments (it listed {len(segments(before))} at the logout) and the newest, "
                       f"{segments(answer)[-1] if segments(answer) else '-'}, answers {segment.status if segment else '-'} with "
                       f"{len(segment.body) if segment else 0} bytes of video: the capability outlives the login")


# 7. Logout ----------------------------------------------------------------------------------------

def attack_7_old_token_after_logout(w):
    """After logout the old token gets 401 on every route tried."""
    token = w.http.token("t_op", USERS["t_op"][0])
    check(w.http.call("GET", "/api/v1/auth/me", token=token).status == 200, "control: the fresh token did not work")
    logout = w.http.call("POST", "/api/v1/auth/logout", token=token)
    check(logout.status == 204, f"logout: {logout}")
    routes = [("GET", "/api/v1/auth/me"), ("POST", "/api/v1/auth/logout"), ("GET", "/api/v1/cameras"), ("GET", f"/api/v1/cameras/{H1}"),
              ("GET", "/api/v1/share-requests"), ("POST", "/api/v1/share-requests"), ("GET", "/api/v1/grants"),
              ("GET", "/api/v1/devices"), ("GET", "/api/v1/directory/export"), ("GET", "/api/v1/divisions"),
              ("GET", "/api/v1/dictionaries"), ("GET", "/api/v1/platforms"), ("GET", f"/api/v1/cameras/{P1}/live.m3u8"),
              ("POST", "/api/v1/auth/password"), ("POST", "/api/v1/access/authorize")]
    for method, path in routes:
        answer = w.http.call(method, path, body={} if method == "POST" else None, token=token)
        check(answer.status == 401 and answer.error_code == "unauthenticated",
              f"{method} {path} with the logged-out token: expected 401 unauthenticated, got {answer}")


# 8. Reviewing one's own department's request ------------------------------------------------------

def review_view(w, who, request_id, camera_code):
    answer = w.api("GET", f"/api/v1/share-requests/{request_id}", who)
    check(answer.status == 200, f"GET the request as {who}: {answer}")
    return next(c for c in answer.json["cameras"] if c["code"] == camera_code), answer.json


def attack_8_police_reviews_police_request(w):
    """A police reviewer cannot approve the police step of a police department's request (回避), and is not offered it."""
    request = w.api("POST", "/api/v1/share-requests", "p_op", {"cameras": [H1], "permissions": "1", "purpose": "attack suite", "days": 3})
    check(request.status == 201, f"p_op's request for health camera {H1}: {request}")
    request_id = request.json["request"]["id"]
    w.state["police_request"] = request_id
    for who in ("h_admin", "bureau"):  # owner, then the data bureau: the chain reaches the police step
        answer = w.api("POST", f"/api/v1/share-requests/{request_id}/reviews", who, {"decision": "approve"})
        check(answer.status == 200, f"{who}'s approval on the way to the police step: {answer}")
    camera, _ = review_view(w, "p_rev", request_id, H1)
    check(camera["waitingFor"] == "police", f"the request should wait for the police step, waits for {camera['waitingFor']}")
    check(camera.get("mayAnswer") is False, f"the request view offers p_rev the police step: mayAnswer={camera.get('mayAnswer')}")
    admin_camera, _ = review_view(w, "admin", request_id, H1)
    check(admin_camera.get("mayAnswer") is True, f"control: the system administrator should answer it, mayAnswer={admin_camera.get('mayAnswer')}")
    answer = w.api("POST", f"/api/v1/share-requests/{request_id}/reviews", "p_rev", {"decision": "approve"})
    check(answer.status == 403 and answer.error_code == "other_department",
          f"p_rev approving its own department's request: expected 403 other_department, got {answer}")
    camera, view = review_view(w, "p_op", request_id, H1)
    check(view["request"]["status"] == "pending" and camera["state"] == "pending" and not view["grantIDs"],
          f"the request moved after the refused review: status={view['request']['status']} grants={view['grantIDs']}")
    denied = [e for e in w.audit(actor="p_rev", result="denied") if e["draft"]["target"] == f"request:{request_id}"]
    check(denied, "the refused review left no denied audit entry")


# 9. Audit -----------------------------------------------------------------------------------------

def attack_9a_cli_user_add_audited(w):
    """`gbshare user add` (the command line, no login) leaves an audit entry."""
    entries = [e for e in w.audit(action="auth.user_created") if e["draft"]["target"] == "user:v_term"]
    check(entries and entries[0]["draft"]["actor"].startswith("cli:") and entries[0]["draft"]["clientAddress"] == "local",
          f"no command-line audit entry for user add v_term: {entries}")


def verify(w, data):
    return subprocess.run([w.binary, "audit", "verify", "--config", w.gb.config_path, "--data", data],
                          capture_output=True, text=True, timeout=60)


def attack_9b_tampered_audit_log(w):
    """After the server stopped: an audit row's text edited, or its seq set to 0, makes `audit verify` fail naming the row."""
    intact = verify(w, w.gb.data)
    check(intact.returncode == 0, f"control: the untouched log does not verify: {intact.stdout}{intact.stderr}")
    database = sqlite3.connect(os.path.join(w.gb.data, "gbshare.sqlite"))
    (head,) = database.execute("SELECT MAX(seq) FROM audit_entries").fetchone()
    database.close()
    victim = max(2, head // 2)
    for label, statement in (("detail edited", f"UPDATE audit_entries SET detail = detail || ' (edited)' WHERE seq = {victim}"),
                             ("seq set to 0", f"UPDATE audit_entries SET seq = 0 WHERE seq = {victim}")):
        copy = os.path.join(w.gb.root, f"tampered-{label.split()[0]}")
        shutil.copytree(w.gb.data, copy)
        database = sqlite3.connect(os.path.join(copy, "gbshare.sqlite"))
        database.execute(statement)
        database.commit()
        database.close()
        result = verify(w, copy)
        output = result.stdout + result.stderr
        check(result.returncode != 0, f"{label} at seq {victim}: audit verify exited 0: {output.strip()}")
        check(f"entry {victim}" in output or f"第{victim}条" in output,
              f"{label} at seq {victim}: audit verify does not name entry {victim}: {output.strip()}")


# 10. Login attacks --------------------------------------------------------------------------------

def login_codes(w, name, password, times):
    return [(a.status, a.error_code) for a in (w.http.login(name, password) for _ in range(times))]


def attack_10a_concurrent_guesses_lock(w):
    """20 concurrent wrong passwords lock the account (threshold 5); the right password is then refused."""
    answers = []
    lock = threading.Lock()

    def guess(n):
        answer = w.http.login("v_lock", f"Wrong#guess{n}")
        with lock:
            answers.append((answer.status, answer.error_code))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check(all(status == 401 for status, _ in answers), f"wrong passwords answered {sorted(set(answers))}")
    wrong = sum(1 for _, code_ in answers if code_ == "invalid_credentials")
    check(wrong <= 4, f"{wrong} of 20 parallel guesses were checked as wrong passwords (at most 4 before the lock): {answers}")
    right = w.http.login("v_lock", USERS["v_lock"][0])
    check(right.status == 401 and right.error_code == "account_locked",
          f"the right password after the burst: expected 401 account_locked, got {right}")


def attack_10b_unknown_name_locks_alike(w):
    """A user name that does not exist answers and locks exactly like a real one (no account oracle)."""
    real = login_codes(w, "v_seq", "Wrong#2026seq", 6)
    ghost = login_codes(w, "ghost-" + uuid.uuid4().hex[:8], "Wrong#2026seq", 6)
    check(real == ghost, f"real account {real} vs unknown name {ghost}")
    check(real[-1] == (401, "account_locked"), f"six wrong passwords did not lock: {real}")


def attack_10c_rate_limit_per_address(w):
    """More than 60 login attempts a minute from one address → 429, even with the right password."""
    counted, left = w.http.logins.state()
    if left < 8:  # the server's window ends soon: start the flood in a fresh one
        time.sleep(left + 0.5)
        counted = 0
    allowed = 60 - counted
    statuses = [w.http.login("v_rate", "Wrong#2026rate").status for _ in range(allowed + 1)]
    first = statuses.index(429) if 429 in statuses else None
    check(first is not None, f"{allowed + 1} attempts after {counted} earlier ones in this minute: no 429 ({sorted(set(statuses))})")
    check(first >= allowed - 1, f"429 already after {first} attempts; expected about {allowed} (the suite counted {counted} before)")
    right = w.http.login("p_op", USERS["p_op"][0])
    check(right.status == 429 and right.error_code == "too_many_attempts",
          f"the right password of another account from the same address: expected 429 too_many_attempts, got {right}")
    entries = [e for e in w.audit(action="auth.login_failed") if "too many attempts" in e["draft"]["detail"]]
    check(len(entries) == 1, f"expected one audit entry for the flood, found {len(entries)}")


def attack_10d_common_password_refused(w):
    """A user with password `password1` is refused, on the command line and through the API."""
    cli = w.gb.add_user("weak_cli", "password1", role="department_operator", department="19", check=False)
    check(cli.returncode != 0, f"gbshare user add with password1 exited 0: {cli.stdout}")
    api = w.api("POST", "/api/v1/users", "admin", {"username": "weak_api", "password": "password1", "role": "department_operator",
                                                   "departmentCode": "19", "divisionScope": "441500"})
    check(api.status == 400 and api.error_code == "weak_password", f"POST /api/v1/users with password1: expected 400 weak_password, got {api}")
    users = [u["username"] for u in w.api("GET", "/api/v1/users", "admin").json]
    check("weak_cli" not in users and "weak_api" not in users, f"a weak-password user exists: {users}")


# 11. Files ----------------------------------------------------------------------------------------

def attack_11_data_folder_modes(w):
    """The data folder is 0700 and gbshare.sqlite 0600; nothing in it is readable by group or others."""
    folder = stat.S_IMODE(os.stat(w.gb.data).st_mode)
    check(folder == 0o700, f"data folder mode {oct(folder)}")
    database = stat.S_IMODE(os.stat(os.path.join(w.gb.data, "gbshare.sqlite")).st_mode)
    check(database == 0o600, f"gbshare.sqlite mode {oct(database)}")
    loose = []
    for root, folders, files in os.walk(w.gb.data):
        for name in folders + files:
            mode = stat.S_IMODE(os.lstat(os.path.join(root, name)).st_mode)
            if mode & 0o077:
                loose.append(f"{os.path.relpath(os.path.join(root, name), w.gb.data)} {oct(mode)}")
    check(not loose, f"readable by group or others: {loose}")


# 12. Unlocking ------------------------------------------------------------------------------------

def attack_12_unlock_only_by_admin(w):
    """A non-admin cannot unlock the locked account (403); an administrator can."""
    for who in ("h_admin", "p_admin", "auditor"):
        answer = w.api("POST", "/api/v1/users/v_lock/unlock", who)
        check(answer.status == 403 and answer.error_code == "role_may_not", f"unlock by {who}: expected 403 role_may_not, got {answer}")
    still = w.http.login("v_lock", USERS["v_lock"][0])
    check(still.status == 401 and still.error_code == "account_locked", f"v_lock after the refused unlocks: {still}")
    unlock = w.api("POST", "/api/v1/users/v_lock/unlock", "admin")
    check(unlock.status == 204, f"the administrator's unlock: {unlock}")
    after = w.http.login("v_lock", USERS["v_lock"][0])
    check(after.status == 200, f"v_lock's login after the unlock: {after}")
    entries = [e for e in w.audit(action="auth.user_changed", actor="admin") if e["draft"]["target"] == "user:v_lock"]
    check(entries and entries[0]["draft"]["detail"] == "unlocked", f"no audit entry for the unlock: {entries}")


# 14. Terminal binding -----------------------------------------------------------------------------

def attack_14_terminal_binding(w):
    """An account bound to 10.0.0.0/8 cannot log in from 127.0.0.1; a wrong password answers as usual (no oracle)."""
    old = w.http.token("v_term", USERS["v_term"][0])
    # The API takes the ranges as one comma-separated string (AccountChange.allowedNetworks), not a JSON array.
    bind = w.api("PATCH", "/api/v1/users/v_term", "admin", {"allowedNetworks": "10.0.0.0/8"})
    check(bind.status == 200, f"binding v_term to 10.0.0.0/8: {bind}")
    check(w.http.call("GET", "/api/v1/auth/me", token=old).status == 401, "v_term's session from before the binding still works")
    right = w.http.login("v_term", USERS["v_term"][0])
    check(right.status == 403 and right.error_code == "not_from_terminal", f"right password from 127.0.0.1: expected 403 not_from_terminal, got {right}")
    wrong = w.http.login("v_term", "Wrong#2026term")
    ordinary = w.http.login("h_op2", "Wrong#2026term")
    check((wrong.status, wrong.error_code) == (ordinary.status, ordinary.error_code) == (401, "invalid_credentials"),
          f"wrong password of the bound account {wrong} vs of an unbound one {ordinary}")


def attack_14b_live_without_a_purpose(w):
    """Live video without a stated purpose is refused and audited; a purpose cannot forge audit lines."""
    token = w.http.token("h_op2", USERS["h_op2"][0])
    refused = w.http.call("GET", f"/api/v1/cameras/{H1}/live.mp4", token=token)
    check(refused.status == 403 and refused.error_code == "purpose_required", f"live without a purpose: expected 403 purpose_required, got {refused}")
    denied = [e for e in w.audit(action="media.view_start", camera=H1) if e["draft"]["actor"] == "h_op2" and e["draft"]["result"] == "denied"]
    check(denied, "the refused live view of h_op2 is not in the audit log")
    forged = w.http.call("PUT", "/api/v1/auth/session/purpose", token=token,
                         body={"purpose": "巡查\r\n2026-01-01 auth.login admin ok"})
    check(forged.status == 200, f"stating a purpose: {forged}")
    stated = forged.json.get("viewPurpose", "")
    check("\n" not in stated and "\r" not in stated, f"the stated purpose kept a raw line break: {stated!r}")
    other = w.http.call("PUT", "/api/v1/auth/session/purpose", body={"purpose": "巡查"})
    check(other.status == 401, f"stating a purpose without a token: expected 401, got {other}")


# 15. Output injection -----------------------------------------------------------------------------

def attack_15a_csv_formula_injection(w):
    """Camera names starting with = + - @ TAB CR are exported with a leading apostrophe."""
    names = {H1: "=HYPERLINK(\"http://evil.example/\",\"x\")", H2: "\t=1+1", H3: "\r=cmd|' /C calc'!A0", H4: "@SUM(1+1)"}
    for camera_code, name in names.items():
        answer = w.api("PATCH", f"/api/v1/cameras/{camera_code}", "h_op", {"name": name})
        check(answer.status == 200, f"h_op renaming its camera {camera_code}: {answer}")
    export = w.http.call("GET", "/api/v1/directory/export?department=19&format=csv", token=w.tokens["h_op"])
    check(export.status == 200, f"export: {export}")
    rows = read_csv(export.body)
    column = rows[0].index("设备名称")
    exported = {row[0]: row[column] for row in rows[1:] if row}
    for camera_code, name in names.items():
        expected = "'" + name
        check(exported.get(camera_code) == expected, f"camera {camera_code} exported as {exported.get(camera_code)!r}, expected {expected!r}")


def attack_15b_syslog_line_injection(w):
    """A display name with a raw LF does not split the audit entry's syslog message."""
    forged = "<13>1 2026-01-01T00:00:00Z host gbshare - auth.login - forged"
    answer = w.api("PATCH", "/api/v1/users/h_op2", "admin", {"displayName": f"Mallory\n{forged}\r\nend"})
    check(answer.status == 200, f"PATCH displayName: {answer}")
    deadline = time.time() + 5
    messages = []
    while time.time() < deadline and not messages:
        messages = [m for m in list(w.syslog_lines) if b"user:h_op2" in m and b"Mallory" in m]
        time.sleep(0.1)
    check(messages, "no syslog message for the display-name change arrived")
    message = messages[-1]
    check(b"\n" not in message and b"\r" not in message, f"the syslog message holds a raw line break: {message!r}")
    check(b"Mallory\\n<13>1" in message, f"the LF is not written as \\n: {message!r}")


# Regressions: what held before ------------------------------------------------------------------

def attack_r1_every_route_needs_a_token(w):
    """Every /api/v1 route of the OpenAPI document except the open ones answers 401 without a token."""
    document = w.http.get("/api/v1/openapi.json").json
    open_routes = {"/api/v1/auth/login", "/api/v1/openapi.json", "/api/v1/hls/{session}/{file}", "/api/v1/live/ws"}
    tried = 0
    for path, operations in document["paths"].items():
        if path in open_routes:
            continue
        concrete = (path.replace("{code}", P1).replace("{id}", str(uuid.uuid4())).replace("{username}", "admin")
                    .replace("{key}", "x").replace("{number}", "1"))
        for method in operations:
            answer = w.http.call(method.upper(), concrete, body={} if method in ("post", "put", "patch") else None)
            tried += 1
            check(answer.status == 401 and answer.error_code == "unauthenticated",
                  f"{method.upper()} {concrete} without a token: expected 401, got {answer}")
    check(tried >= 50, f"only {tried} routes found in the OpenAPI document")


def attack_r2_no_idor(w):
    """Another department's request and grant by id are refused (403); a grant id answers like a random one."""
    request_id, grant_id = w.state.get("police_request"), w.state.get("health_grant")
    check(request_id and grant_id, "attacks 6a and 8 did not leave a request and a grant to probe")
    answers = {
        "request": w.api("GET", f"/api/v1/share-requests/{request_id}", "t_op"),
        "random request": w.api("GET", f"/api/v1/share-requests/{uuid.uuid4()}", "t_op"),
        "grant": w.api("GET", f"/api/v1/grants/{grant_id}", "t_op"),
        "random grant": w.api("GET", f"/api/v1/grants/{uuid.uuid4()}", "t_op"),
        "auditor grant": w.api("GET", f"/api/v1/grants/{grant_id}", "auditor"),
    }
    for label in ("request", "grant", "random grant", "auditor grant"):
        check(answers[label].status == 403, f"{label} by id as another department: expected 403, got {answers[label]}")
    check(answers["random request"].status in (403, 404), f"random request id: {answers['random request']}")
    # The same refusal whether or not the grant exists: no oracle for grant ids (key order of the JSON aside).
    check(answers["grant"].json == answers["random grant"].json,
          f"a real grant id and a random one get different answers: {answers['grant']} / {answers['random grant']}")
    withdraw = w.api("POST", f"/api/v1/share-requests/{request_id}/withdraw", "t_op")
    check(withdraw.status == 403, f"withdrawing another department's request: {withdraw}")
    listed = w.api("GET", "/api/v1/grants", "t_op")
    check(listed.status == 200 and all(g["id"] != grant_id for g in listed.json), "t_op lists health's grant")


def attack_r3_injection_looking_parameters(w):
    """SQL-injection-looking query parameters never give a 500 nor widen a search."""
    probes = [
        ("/api/v1/cameras", {"q": "' OR 1=1 --"}), ("/api/v1/cameras", {"department": "06' OR '1'='1"}),
        ("/api/v1/cameras", {"division": "%' OR 1=1 --"}), ("/api/v1/cameras", {"sort": "name; DROP TABLE cameras"}),
        ("/api/v1/cameras", {"cursor": "' UNION SELECT * FROM users --"}), ("/api/v1/cameras", {"limit": "1 OR 1=1"}),
        ("/api/v1/devices", {"online": "1 OR 1=1", "limit": "-1"}), ("/api/v1/directory/duplicates", {"division": "' OR 1=1 --"}),
        ("/api/v1/directory/statistics", {"division": "\" OR \"\"=\""}), ("/api/v1/share-requests", {"status": "pending' --"}),
        ("/api/v1/directory/export", {"q": "x'); DELETE FROM cameras; --"}), ("/api/v1/cameras/" + urllib.parse.quote("' OR '1'='1"), {}),
    ]
    for path, query in probes:
        answer = w.http.get(path, token=w.tokens["h_op"], **query)
        check(answer.status < 500, f"GET {path} {query}: {answer}")
        if path == "/api/v1/cameras" and ("q" in query or "department" in query):
            check(answer.status != 200 or not answer.json["items"], f"GET {path} {query} found cameras: {len(answer.json['items'])}")
    for query in ({"actor": "' OR 1=1 --"}, {"camera": "x' OR '1'='1"}, {"action": "auth.login' --"}):
        answer = w.http.get("/api/v1/audit", token=w.tokens["auditor"], **query)
        check(answer.status == 200 and not answer.json["entries"], f"GET /api/v1/audit {query}: {answer}")
    check(len(w.http.get("/api/v1/cameras", token=w.tokens["admin"], limit=100).json["items"]) == 7, "the directory lost cameras")


def attack_r4_serve_stops_on_sigterm(w):
    """`gbshare serve` exits on SIGTERM within 10 s."""
    code_, seconds = w.gb.stop()
    check(code_ is not None, f"serve was still running {seconds:.1f} s after SIGTERM and had to be killed")
    check(code_ == 0, f"serve exited with {code_} after SIGTERM")


# Running ------------------------------------------------------------------------------------------

# In order: the login flood (10c) is the last login of the run, the tampering (9b) needs a stopped server.
ATTACKS = [
    attack_1a_import_moves_police_camera, attack_1b_pending_import_of_another_user,
    attack_2_patch_code_and_network_status,
    attack_3a_keepalive_from_another_socket, attack_3b_catalog_from_another_socket,
    attack_4a_register_replay, attack_4b_register_directory_oracle,
    attack_5_department_admin_reach,
    attack_8_police_reviews_police_request,
    attack_6a_revoke_cuts_playback, attack_6b_hls_capability_after_logout,
    attack_7_old_token_after_logout,
    attack_14_terminal_binding,
    attack_14b_live_without_a_purpose,
    attack_15a_csv_formula_injection, attack_15b_syslog_line_injection,
    attack_10a_concurrent_guesses_lock, attack_10b_unknown_name_locks_alike, attack_12_unlock_only_by_admin,
    attack_10d_common_password_refused, attack_9a_cli_user_add_audited,
    attack_r1_every_route_needs_a_token, attack_r2_no_idor, attack_r3_injection_looking_parameters,
    attack_11_data_folder_modes,
    attack_10c_rate_limit_per_address,
    attack_r4_serve_stops_on_sigterm, attack_9b_tampered_audit_log,
]


def label(function):
    """attack_10a_concurrent_guesses_lock → ("10a", docstring)."""
    return function.__name__.split("_")[1], " ".join(function.__doc__.split())


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/gbshare"
    if not os.path.exists(binary):
        print(f"no gbshare binary at {binary}", file=sys.stderr)
        return 2
    started = time.time()
    world = World(binary)
    failures = 0
    try:
        world.setup()
        for attack in ATTACKS:
            ident, title = label(attack)
            try:
                attack(world)
                print(f"PASS attack {ident}: {title}", flush=True)
            except AttackFailed as failure:
                failures += 1
                print(f"FAIL attack {ident}: {title} : {failure}", flush=True)
            except Exception as error:  # a crash of the attack itself counts as a failure, with its reason
                failures += 1
                print(f"FAIL attack {ident}: {title} : {type(error).__name__}: {error}", flush=True)
    except Exception as error:
        print(f"setup failed: {error}\n{world.gb.log_tail()}", file=sys.stderr)
        world.close()
        return 2
    for endpoint in [world.state.get("sip_a")]:
        if endpoint:
            endpoint.close()
    world.close()
    if os.environ.get("ATTACK_KEEP") is None:
        shutil.rmtree(world.gb.root, ignore_errors=True)
    else:
        print(f"kept {world.gb.root}")
    print(f"attack suite: {len(ATTACKS)} attacks, {len(ATTACKS) - failures} refused as they should be "
          f"({time.time() - started:.0f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

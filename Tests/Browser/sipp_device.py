"""SIPp as the camera of the live tests: Debian's sip-tester (/usr/bin/sipp) with the GB/T 28181 device
scenarios of ../shared/peers/sipp (see its README). One sipp process registers N devices (one line of its
-inf file each, `-m N -l N`), keeps them alive and answers every INVITE by replaying
pcap/ps_h264_1080p25_ssrc100000001.pcap (~11.5 s of 1080p25 H.264 as PS over RTP, SSRC 100000001) once to
the address of the INVITE's SDP. Pcap replay opens a raw socket: root or CAP_NET_RAW.

The devices are filed in the server's directory first (`filed_rows`): the e2e tests' camera
(Tests/AppTests/SignallingEndToEndTests.swift) — the sample's first row with the code 3402000000132000000N,
division 340200 and a point in Wuhu — so each device's code is also the camera that is played."""
import os
import shutil
import socket
import subprocess
import tempfile

from settings import settings

SIPP = "/usr/bin/sipp"
PEERS = os.path.join(os.path.dirname(settings.shared_data), "peers", "sipp")
PCAP_H264 = os.path.join(PEERS, "pcap", "ps_h264_1080p25_ssrc100000001.pcap")
PASSWORD = "12345678"
PLATFORM_ID = "34020000002000000001"


def codes(count):
    return [f"3402000000132{n:07d}" for n in range(1, count + 1)]


def filed_rows(path, codes):
    """A directory CSV at `path`: the sample's header and, per code, its first row filed as that camera."""
    with open(settings.sample_csv, encoding="utf-8") as handle:
        header, first = handle.readline(), handle.readline()
    assert first.startswith("44152309581320861168,") and ",441523," in first and "115.668755,23.274754" in first, first
    row = first.replace(",441523,", ",340200,").replace("115.668755,23.274754", "118.376451,31.326319")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(header)
        for code in codes:
            handle.write(row.replace("44152309581320861168", code, 1))
    return path


def free_udp_ports(count, low=41000, high=59000):
    """`count` consecutive loopback ports free for UDP and TCP right now (RTP ranges, sipp's SIP and media)."""
    import random
    for _ in range(200):
        base = random.randrange(low, high - count)
        held = []
        try:
            for port in range(base, base + count):
                for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                    sock = socket.socket(socket.AF_INET, kind)
                    held.append(sock)
                    sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in held:
                sock.close()
    raise RuntimeError(f"no {count} consecutive free ports in {low}-{high}")


def missing():
    """Why sipp cannot be the camera here, or None."""
    if not os.access(SIPP, os.X_OK):
        return f"{SIPP} not found: apt-get install sip-tester"
    for path in (os.path.join(PEERS, "gb_device_register.xml"), os.path.join(PEERS, "gb_device_ooc_media.xml"), PCAP_H264):
        if not os.path.exists(path):
            return f"{path} is missing (../shared/peers/sipp)"
    try:
        capable = bool(os.getxattr(SIPP, "security.capability"))  # scripts/test gives it cap_net_raw when not root
    except OSError:
        capable = False
    if os.geteuid() != 0 and not capable:
        return "sipp's pcap replay needs a raw socket: run as root (or give /usr/bin/sipp CAP_NET_RAW)"
    return None


class SippDevices:
    """One sipp process, a device per code, all on 127.0.0.1 at free ports; stop() ends it by its PID."""

    def __init__(self, server_sip_port, codes, password=PASSWORD, pcap=PCAP_H264, keepalive_ms=2000, keepalives=600):
        problem = missing()
        if problem:
            raise RuntimeError(problem)
        self.codes = list(codes)
        self.folder = tempfile.mkdtemp(prefix="gbshare-browser-sipp-")
        for name in ("gb_device_register.xml", "gb_device_ooc_media.xml"):
            shutil.copy(os.path.join(PEERS, name), self.folder)
        with open(os.path.join(self.folder, "devices.csv"), "w", encoding="ascii") as handle:
            handle.write("SEQUENTIAL\n" + "".join(f"{code};{password}\n" for code in self.codes))
        sip_port = free_udp_ports(1)
        media_port = free_udp_ports(4)  # sipp binds the media port and the one two above it
        count = str(len(self.codes))
        # -m N ends sipp when the N REGISTER calls end: keepalives × interval (20 min) outlast any test.
        self.command = [
            SIPP, f"127.0.0.1:{server_sip_port}", "-t", "u1", "-sf", "gb_device_register.xml", "-oocsf", "gb_device_ooc_media.xml",
            "-i", "127.0.0.1", "-p", str(sip_port), "-mi", "127.0.0.1", "-mp", str(media_port), "-inf", "devices.csv",
            "-key", "platform_id", PLATFORM_ID, "-key", "domain", PLATFORM_ID[:10], "-key", "expires", "3600",
            "-key", "ka_ms", str(keepalive_ms), "-key", "ka_count", str(keepalives), "-key", "pcap", pcap,
            "-m", count, "-l", count, "-r", count, "-nostdin", "-trace_err"]
        self.log_path = os.path.join(self.folder, "sipp.out")
        self.log_file = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(self.command, cwd=self.folder, stdout=self.log_file, stderr=subprocess.STDOUT)

    def alive(self):
        return self.process.poll() is None

    def log(self):
        """sipp's errors (its *_errors.log) and the end of its screen output."""
        text = []
        for name in sorted(os.listdir(self.folder)):
            if name.endswith("errors.log") or name == "sipp.out":
                with open(os.path.join(self.folder, name), encoding="utf-8", errors="replace") as handle:
                    text.append(f"--- {name}\n" + handle.read()[-3000:])
        return "\n".join(text)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()
        shutil.rmtree(self.folder, ignore_errors=True)

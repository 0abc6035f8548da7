"""Starts and stops `gbshare serve` for the browser tests: a fresh data folder, users, an import."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class GBShareServer:
    """One `gbshare serve` on 127.0.0.1 with its own data folder (removed on stop)."""

    def __init__(self, binary, name, extra_env=None, config=None):
        self.binary = binary
        self.data = tempfile.mkdtemp(prefix=f"gbshare-browser-{name}-")
        self.config_path = os.path.join(self.data, "config.json")
        with open(self.config_path, "w", encoding="utf-8") as handle:
            # bcrypt's minimum cost keeps logins fast in tests; production uses 12. SIP on loopback at a
            # free port and RTP too, so servers of the suite never meet on 5060 or 30000.
            json.dump({"bcryptCost": 4, "lockoutThreshold": 20, "sipHost": "127.0.0.1", "sipPort": free_port(), "rtpPort": free_port(),
                       **(config or {})}, handle)
        self.env = {**os.environ, **(extra_env or {})}
        self.port = None
        self.process = None
        self.log_path = os.path.join(self.data, "serve.log")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args, stdin=None, timeout=600):
        result = subprocess.run([self.binary, *args, "--data", self.data, "--config", self.config_path],
                                input=stdin, capture_output=True, text=True, env=self.env, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"gbshare {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def add_user(self, username, password, role=None, department=None, division=None, display_name=None):
        args = ["user", "add", username]
        args += ["--admin"] if role is None else ["--role", role]
        if department:
            args += ["--department", department]
        if division:
            args += ["--division", division]
        if display_name:
            args += ["--display-name", display_name]
        self.cli(*args, stdin=password + "\n")

    def import_directory(self, path):
        return self.cli("directory", "import", path)

    def start(self):
        self.port = free_port()
        log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--data", self.data, "--config", self.config_path,
             "--http-host", "127.0.0.1", "--http-port", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gbshare serve exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/vendor/status.json", timeout=2):
                    return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"gbshare serve did not answer on {self.url} within 60 s:\n{self.log()}")

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as handle:
                return handle.read()[-4000:]
        except OSError:
            return ""

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.data, ignore_errors=True)

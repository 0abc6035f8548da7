#!/usr/bin/python3
"""Follows the README's quick start word for word and checks that four tiles play in Chromium.

    /usr/bin/python3 Tests/Smoke/quickstart.py

It reads the shell blocks under "## Quick start" in README.md and runs them from the repository root,
as a newcomer would: `scripts/serve` in a terminal (a pseudo-terminal here, answering its first-run
questions with the defaults and a password), then the second block's commands; the block's last command
(`gbshare simulate --cameras 4`) keeps running, as it does in a newcomer's second terminal. Then the
administrator logs in to the console, opens the live view with the 2x2 layout and the four cameras, and
every tile's video must pass one second.

The only thing not in the README is where things live: the environment gives the data folder and free
ports (GBSHARE_DATA, GBSHARE_HTTP_PORT, GBSHARE_SIP_PORT, GBSHARE_RTP_PORT), read by every gbshare
command, so the test neither uses nor clobbers ./data and port 8080 of the machine it runs on.

Exit status 0 only when every step passed. scripts/test runs it after building the release products.
"""
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Browser"))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True

from release_smoke import free_port  # noqa: E402

PASSWORD = "Quick-start-passw0rd!"
# scripts/serve's first-run questions, in the order it asks them: a pattern of the prompt and the answer
# (empty: take the default the prompt shows).
ANSWERS = [
    (rb"Administrator user name", b""),
    (rb"Department code", b""),
    (rb"Division scope", b""),
    (rb"Password for", PASSWORD.encode()),
    (rb"Again", PASSWORD.encode()),
]


def quick_start_blocks():
    """The ```sh blocks of the README's "Quick start" section, as lists of command lines."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    section = re.search(r"^## Quick start.*?$(.*?)^## ", readme, re.S | re.M)
    if not section:
        raise SystemExit("README.md has no '## Quick start' section")
    blocks = re.findall(r"```sh\n(.*?)```", section.group(1), re.S)
    return [[line.strip() for line in block.splitlines() if line.strip() and not line.strip().startswith("#")] for block in blocks]


def step(message):
    print(f"quickstart: {message}", flush=True)


class Terminal:
    """A command in a pseudo-terminal: what it prints is kept; prompts are answered as they appear."""

    def __init__(self, command, env):
        import pty
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(command, shell=True, cwd=ROOT, env=env, stdin=slave, stdout=slave, stderr=slave,
                                        start_new_session=True)
        os.close(slave)
        self.output = b""

    def read(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.output += chunk

    def answer(self, pattern, text, timeout):
        start = len(self.output)
        end = time.time() + timeout
        while time.time() < end:
            if re.search(pattern, self.output[start:] if start else self.output):
                os.write(self.master, text + b"\n")
                return
            if self.process.poll() is not None:
                break
            self.read(0.5)
        raise RuntimeError(f"no prompt {pattern!r} within {timeout} s:\n{self.tail()}")

    def tail(self):
        return self.output.decode("utf-8", "replace")[-3000:]

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def wait_http(url, seconds, terminal):
    end = time.time() + seconds
    while time.time() < end:
        if terminal.process.poll() is not None:
            raise RuntimeError(f"scripts/serve exited with {terminal.process.returncode}:\n{terminal.tail()}")
        try:
            with urllib.request.urlopen(url + "/vendor/status.json", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            terminal.read(0.3)
    raise RuntimeError(f"the console did not answer on {url} within {seconds} s:\n{terminal.tail()}")


def api(base, path, token=None, body=None):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None,
                                     method="POST" if body is not None else "GET")
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def wait_online(base, token, count, simulator, seconds=60):
    end = time.time() + seconds
    codes = []
    while time.time() < end:
        if simulator.poll() is not None:
            raise RuntimeError(f"gbshare simulate exited with {simulator.returncode}")
        cameras = api(base, "/api/v1/cameras?limit=50", token)
        items = cameras.get("items", cameras if isinstance(cameras, list) else [])
        codes = [item["code"] for item in items]
        online = [code for code in codes if api(base, f"/api/v1/devices/{code}", token).get("online")] if len(codes) >= count else []
        if len(online) >= count:
            return online[:count]
        time.sleep(0.5)
    raise RuntimeError(f"{count} cameras filed and online not seen within {seconds} s (filed: {codes})")


def tiles_play(base, codes):
    """Logs in as the administrator the first run made and plays the four cameras in the 2x2 grid."""
    from browser import new_driver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    driver = new_driver()
    try:
        driver.get(base + "/")
        end = time.time() + 20
        while not driver.find_elements(By.CSS_SELECTOR, "#login-form input[name=username]"):
            if time.time() > end:
                errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
                raise RuntimeError(f"no login form on {base}/ within 20 s; browser errors: {errors or 'none'}")
            time.sleep(0.2)
        driver.find_element(By.CSS_SELECTOR, "#login-form input[name=username]").send_keys("admin")
        password = driver.find_element(By.CSS_SELECTOR, "#login-form input[name=password]")
        password.send_keys(PASSWORD)
        password.send_keys(Keys.ENTER)
        end = time.time() + 20
        while "#/login" in driver.current_url or not driver.find_elements(By.CSS_SELECTOR, "#user-bar .user-name"):
            if time.time() > end:
                raise RuntimeError("login did not finish")
            time.sleep(0.2)
        driver.execute_script("location.hash = arguments[0];", f"/live?layout=4&cameras={','.join(codes)}")
        started = time.time()
        script = ("return Array.from(document.querySelectorAll('#live-grid .live-tile')).map((t) => "
                  "[t.dataset.state, t.querySelector('video').currentTime, t.dataset.camera || null, "
                  "(t.querySelector('.tile-status') || {}).textContent || '', t.dataset.code || '']);")
        last = []
        purpose_stated = False
        while time.time() - started < 60:
            last = driver.execute_script(script)
            failed = [tile for tile in last if tile[0] == "failed"]
            # The README: the console asks once per login for the purpose of use (使用事由).
            waiting = [tile for tile in failed if tile[4] == "purpose_required"]
            if waiting and not purpose_stated:
                field = driver.find_element(By.CSS_SELECTOR, "#live-grid .tile-purpose input[name=purpose]")
                field.send_keys("快速入门演示")
                field.send_keys(Keys.ENTER)
                purpose_stated = True
                time.sleep(0.2)
                continue
            if failed and len(waiting) < len(failed) or (failed and purpose_stated and time.time() - started > 20):
                raise RuntimeError(f"tiles failed: {failed}")
            if len(last) == 4 and all(tile[1] > 1.0 for tile in last):
                return time.time() - started, last
            time.sleep(0.2)
        driver.save_screenshot(os.path.join(tempfile.gettempdir(), "quickstart-live.png"))
        raise RuntimeError(f"not every tile passed 1 s of video within 60 s: {last}")
    finally:
        driver.quit()


def main():
    blocks = quick_start_blocks()
    if len(blocks) < 2:
        raise SystemExit("README.md's quick start needs two sh blocks (serve; simulate and import)")
    data = tempfile.mkdtemp(prefix="gbshare-quickstart-")
    http_port = free_port()
    env = {**os.environ, "GBSHARE_DATA": data, "GBSHARE_HTTP_PORT": str(http_port), "GBSHARE_SIP_PORT": str(free_port()),
           "GBSHARE_RTP_PORT": str(free_port()), "GBSHARE_HTTP_HOST": "127.0.0.1"}
    base = f"http://127.0.0.1:{http_port}"
    serve_lines = [line for line in blocks[0] if not line.startswith(("git clone", "cd "))]
    if serve_lines != ["scripts/serve"]:
        raise SystemExit(f"the quick start's first block should end in scripts/serve, it runs {serve_lines}")
    serve = Terminal("scripts/serve", env)
    simulator = None
    try:
        step(f"scripts/serve (data {data}, console {base})")
        for pattern, text in ANSWERS:
            serve.answer(pattern, text, timeout=1800 if pattern == ANSWERS[0][0] else 60)
        wait_http(base, 120, serve)
        step("the console answers")
        *finite, lasting = blocks[1]
        for line in finite:
            step(f"$ {line}")
            result = subprocess.run(line, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
            print(result.stdout + result.stderr, end="", flush=True)
            if result.returncode != 0:
                raise RuntimeError(f"{line!r} exited with {result.returncode}")
        step(f"$ {lasting} (left running)")
        log = open(os.path.join(data, "simulate.log"), "w")
        simulator = subprocess.Popen(lasting, shell=True, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        token = api(base, "/api/v1/auth/login", body={"username": "admin", "password": PASSWORD})["token"]
        codes = wait_online(base, token, 4, simulator)
        step(f"four cameras filed and online: {', '.join(codes)}")
        seconds, tiles = tiles_play(base, codes)
        step(f"all four tiles past 1 s of video {seconds:.1f} s after opening the live view: {tiles}")
        print("quickstart: PASS", flush=True)
    finally:
        if simulator and simulator.poll() is None:
            os.killpg(simulator.pid, signal.SIGTERM)
            simulator.wait(timeout=10)
        serve.stop()
        serve.read(0.5)
        if serve.process.returncode not in (0, None):
            print(serve.tail(), file=sys.stderr)
        subprocess.run(["rm", "-rf", data])


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 - one line a person can act on, then the status
        print(f"quickstart: FAIL: {error}", file=sys.stderr, flush=True)
        sys.exit(1)

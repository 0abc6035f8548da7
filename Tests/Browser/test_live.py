"""Live view: one WebSocket for every tile, layouts of 1/4/9/16, the viewer's watermark re-drawn each
second, failures in words in the current language, the PTZ pad only where allowed, and the map's
popup opening the live view; real video from sipp cameras: one tile, and 16 at once."""
import os
import time

from api_client import API
from browser import ConsoleTestCase
from settings import settings


class LiveTests(ConsoleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = API(cls.base_url, *settings.users["admin"])
        # Cameras of the clerk's own department (19) and of another one; no device streams in the suite.
        cls.own = admin.get("/api/v1/cameras", department="19", deviceStatus="1", hasErrors="false", limit=2)["items"]
        cls.other = admin.get("/api/v1/cameras", department="06", shareAttribute="0", hasErrors="false", deviceStatus="1", limit=1)["items"][0]

    def ready(self):
        self.wait(lambda d: self.attr("#live-connection", "data-state") == "ready", message="live socket ready")

    def tile(self, n):
        return f"#live-grid .live-tile[data-tile='{n}']"

    def test_layouts_watermark_and_one_socket(self):
        self.login("clerk")
        # Count the sockets the page opens.
        self.driver.execute_script("""
            window.__sockets = [];
            const Native = window.WebSocket;
            window.WebSocket = function (url, protocols) { window.__sockets.push(url); return new Native(url, protocols); };
            window.WebSocket.prototype = Native.prototype;
            Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });""")
        self.go("/live")
        self.ready()
        self.assertEqual(len(self.all_css("#live-grid .live-tile")), 4)
        for n in (1, 9, 16, 4):
            self.css(f".layout-button[data-layout='{n}']").click()
            self.wait(lambda d: len(self.all_css("#live-grid .live-tile")) == n, message=f"{n} tiles")
            self.assertEqual(self.attr(f".layout-button[data-layout='{n}']", "aria-pressed"), "true")
            self.assertTrue(self.no_horizontal_overflow())
        first = self.attr(f"{self.tile(0)} .tile-watermark", "data-text")
        self.assertIn("卫健局录入员", first)
        self.wait(lambda d: self.attr(f"{self.tile(0)} .tile-watermark", "data-text") != first, timeout=3, message="watermark re-drawn")
        self.assertEqual(self.attr(f"{self.tile(3)} .tile-watermark", "data-text")[:10], self.attr(f"{self.tile(0)} .tile-watermark", "data-text")[:10])
        # Every tile over one socket: the page opened exactly one, same origin, ws: after http:.
        sockets = self.driver.execute_script("return window.__sockets;")
        self.assertEqual(sockets, [self.base_url.replace("http:", "ws:") + "/api/v1/live/ws"])
        self.shot("live-empty")

    def test_failures_are_words_in_the_current_language(self):
        self.login("clerk", f"/live?layout=4&cameras={self.own[0]['code']},{self.other['code']}")
        self.ready()
        # No device streams in the suite: the own camera fails at a signalling step, the other department's is refused.
        self.wait(lambda d: self.attr(self.tile(0), "data-state") in ("failed", "playing"), timeout=40, message="own camera answered")
        self.wait(lambda d: self.attr(self.tile(1), "data-state") == "failed", timeout=40, message="other camera refused")
        self.assertIn(self.attr(self.tile(1), "data-code"), ("no_grant", "forbidden"))
        chinese = self.text_of(f"{self.tile(1)} .tile-status")
        self.assertRegex(chinese, r"[\u4e00-\u9fff]")
        self.shot("live-failures")
        self.css("#lang-switch").click()
        self.wait(lambda d: self.attr(self.tile(1), "data-state") == "failed"
                  and not any("\u4e00" <= ch <= "\u9fff" for ch in (self.text_of(f"{self.tile(1)} .tile-status") or "x")), timeout=40,
                  message="the failure in English")
        self.css("#lang-switch").click()

    def test_ptz_pad_only_where_allowed(self):
        self.expect_http_error(403, "/api/v1/access/authorize")
        self.login("clerk", f"/live?layout=4&cameras={self.own[0]['code']},{self.other['code']}")
        self.ready()
        self.css(self.tile(0)).click()
        self.wait(lambda d: self.attr("#ptz-panel", "data-allowed") == "true", message="PTZ for the own camera")
        self.assertTrue(self.css("#ptz-panel .ptz-pad").is_displayed())
        # No device answers in the suite: a press is sent, refused by the gateway, and said in the panel.
        self.expect_http_error(502, "/ptz")
        from selenium.webdriver.common.action_chains import ActionChains
        button = self.css("#ptz-panel .ptz-button[data-action=up]")
        ActionChains(self.driver).click_and_hold(button).pause(0.3).release(button).perform()
        self.wait_css("#ptz-panel .ptz-message .notice-error")
        self.shot("live-ptz")
        self.css(self.tile(1)).click()
        self.wait_text("#ptz-panel", "不能控制")
        self.assertEqual(self.attr("#ptz-panel", "data-allowed"), "false")

    def test_camera_picker_and_closing_a_tile(self):
        self.login("clerk", "/live?layout=1")
        self.ready()
        self.fill("#live-search", self.own[1]["code"])
        self.css("#live-picker button[type=submit]").click()
        self.wait_css(f"#live-results li[data-code='{self.own[1]['code']}'] .play-camera").click()
        self.wait(lambda d: self.attr(self.tile(0), "data-camera") == self.own[1]["code"])
        self.assertIn(self.own[1]["code"], self.driver.current_url)
        self.css(f"{self.tile(0)} .tile-close").click()
        self.wait(lambda d: self.attr(self.tile(0), "data-state") == "empty")

    def test_the_map_popup_opens_the_live_view(self):
        code = self.own[0]["code"]
        self.login("clerk", "/map?department=19")
        self.wait(lambda d: self.attr("#camera-map", "data-state") == "ready", timeout=60)
        href = self.driver.execute_async_script("""
            const [camera, done] = arguments;
            Promise.all([import('/assets/js/pages/map.js'), import('/assets/js/core/reference.js')])
              .then(async ([map, reference]) => done(map.popup(await reference.dictionaries(), camera).querySelector('a.open-live').getAttribute('href')));""",
            self.own[0])
        self.assertEqual(href, f"#/live?layout=1&cameras={code}")
        self.go(href[1:])
        self.ready()
        self.assertEqual(self.attr(self.tile(0), "data-camera"), code)


class LivePlaybackTests(ConsoleTestCase):
    """Real video from a real peer: one sipp process (../shared/peers/sipp, gb_device_ooc_media.xml) registers
    16 cameras with the server and answers every INVITE by replaying 11.5 s of 1080p25 H.264 as PS over RTP,
    each stream to its own RTP port (the pcap's SSRC is the same for all); the tiles play it through MSE."""

    tiles = 16

    @classmethod
    def setUpClass(cls):
        import sipp_device
        from gbshare_server import GBShareServer, free_port
        from sharing_world import make_user
        cls.codes = sipp_device.codes(cls.tiles)
        sip_port = free_port()
        rtp_base = sipp_device.free_udp_ports(2 * cls.tiles)
        # A port per stream; no grace, so a tile closed ends its INVITE and the next view replays the pcap afresh.
        cls.server = GBShareServer(settings.binary, "playback", config={
            "sipPort": sip_port, "devicePassword": sipp_device.PASSWORD, "rtpPortRange": f"{rtp_base}-{rtp_base + 2 * cls.tiles - 1}",
            "viewerGraceSeconds": 0})
        cls.sipp = None
        try:
            settings.add_users(cls.server)
            cls.server.import_directory(sipp_device.filed_rows(os.path.join(cls.server.data, "sipp-cameras.csv"), cls.codes))
            cls.server.start()
            cls.base_url = cls.server.url
            admin = API(cls.base_url, *settings.users["admin"])
            # The cameras' own department (29) in their division (Wuhu, 340200) watches.
            username, password = make_user(cls.base_url, "department_operator", department="29", division="340200", prefix="duty")
            settings.user_specs["duty"] = {"username": username, "password": password}
            cls.sipp = sipp_device.SippDevices(sip_port, cls.codes)

            def offline():
                import urllib.error
                missing = []
                for code in cls.codes:
                    try:
                        if not admin.get(f"/api/v1/devices/{code}").get("online"):
                            missing.append(code)
                    except urllib.error.HTTPError:  # 404 until it registered
                        missing.append(code)
                return missing

            deadline = time.time() + 30
            while time.time() < deadline and offline():
                assert cls.sipp.alive(), f"sipp exited with {cls.sipp.process.returncode}:\n{cls.sipp.log()}"
                time.sleep(0.3)
            offline = offline()
            assert not offline, f"not online after 30 s: {offline}\n{cls.sipp.log()}\n{cls.server.log()}"
            cls.admin = admin
        except Exception:
            cls.tearDownPeers()
            raise
        super().setUpClass()

    @classmethod
    def tearDownPeers(cls):
        settings.user_specs.pop("duty", None)
        if cls.sipp:
            cls.sipp.stop()
        cls.server.stop()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.tearDownPeers()

    def tearDown(self):
        super().tearDown()
        # Every view ended (no grace): the next test's INVITEs replay the pcap from its start.
        deadline = time.time() + 15
        while time.time() < deadline and self.admin.get("/api/v1/media/status").get("sessions"):
            time.sleep(0.2)

    def current_times(self):
        return self.driver.execute_script(
            "return Array.from(document.querySelectorAll('#live-grid .live-tile')).map((t) => "
            "[t.dataset.state, t.querySelector('video').currentTime, t.dataset.camera || null,"
            " t.querySelector('video').videoWidth + 'x' + t.querySelector('video').videoHeight]);")

    def test_a_tile_plays_the_camera(self):
        code = self.codes[0]
        self.login("duty", f"/live?layout=1&cameras={code}")
        self.wait(lambda d: self.attr("#live-connection", "data-state") == "ready", message="live socket ready")
        supported = self.driver.execute_script("return MediaSource.isTypeSupported('video/mp4; codecs=\"avc1.640028\"');")
        self.assertTrue(supported, "this Chromium plays H.264 through MSE")
        tile = "#live-grid .live-tile[data-tile='0']"
        # The login has stated no purpose of use yet: the tile asks it, once, and opens again with it.
        self.wait(lambda d: self.attr(tile, "data-code") == "purpose_required", timeout=30, message="the purpose asked")
        self.assertIn("尚未填写", self.text_of("#live-purpose"))
        self.fill(f"{tile} .tile-purpose input[name=purpose]", "交通事故核查")
        self.css(f"{tile} .tile-purpose button[type=submit]").click()
        self.wait(lambda d: self.text_of("#live-purpose") == "交通事故核查", message="the login's purpose shown")
        self.wait(lambda d: self.attr(tile, "data-state") in ("starting", "playing", "failed"), timeout=30, message="init or failure")
        self.assertNotEqual(self.attr(tile, "data-state"), "failed", self.text_of(f"{tile} .tile-status"))
        self.assertIn("avc1", self.attr(tile, "data-mime"))
        self.wait(lambda d: self.attr(tile, "data-state") == "playing", timeout=30, message="playing")
        # The pcap lasts 11.5 s from the ACK: well past one second of video.
        self.wait(lambda d: d.execute_script(f"return document.querySelector(\"{tile} video\").currentTime;") > 1.0, timeout=30,
                  message="the video advances")
        size = self.driver.execute_script(f"const v = document.querySelector(\"{tile} video\"); return [v.videoWidth, v.videoHeight];")
        self.assertEqual(size, [1920, 1080])
        self.assertIn("duty", self.attr(f"{tile} .tile-watermark", "data-text"))
        self.shot("live-playing")
        self.css(f"{tile} .tile-close").click()
        self.wait(lambda d: self.attr(tile, "data-state") == "empty")

    def test_sixteen_tiles_play_at_once_on_one_socket(self):
        """16 cameras of one sipp, a different one in each tile of the 16 layout: every tile's video
        advances past 1 s (each INVITE replays 11.5 s, so a tile that has not played by then never will)."""
        self.login("duty", "/live?layout=1")
        self.state_login_purpose()
        self.driver.execute_script("""
            window.__sockets = [];
            const Native = window.WebSocket;
            window.WebSocket = function (url, protocols) { const s = new Native(url, protocols); window.__sockets.push(s); return s; };
            window.WebSocket.prototype = Native.prototype;
            Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });""")
        started = time.perf_counter()
        self.go(f"/live?layout={self.tiles}&cameras={','.join(self.codes)}")
        self.assertEqual(len(self.all_css("#live-grid .live-tile")), self.tiles)
        first_played = {}  # tile → seconds from opening to currentTime > 1
        played = {}  # tile → (camera, size) then
        past_one = {}  # tile → its currentTime when first seen past 1 s
        last = []
        deadline = started + 90
        while len(first_played) < self.tiles and time.perf_counter() < deadline:
            last = self.current_times()
            for index, (state, current, camera, size) in enumerate(last):
                # Past 1 s, and still advancing at the next look (not a playhead parked by a seek).
                if index in first_played or current <= 1.0:
                    continue
                if index in past_one and current > past_one[index]:
                    first_played[index] = time.perf_counter() - started
                    played[index] = (camera, size)
                past_one.setdefault(index, current)
            stuck = [(index, state, camera, self.text_of(f"#live-grid .live-tile[data-tile='{index}'] .tile-status"))
                     for index, (state, _, camera, _) in enumerate(last) if index not in first_played and state in ("failed", "ended")]
            if stuck:
                self.shot("live-16-failed")
                self.fail(f"tiles that never played: {stuck}\nplayed: {first_played}")
            time.sleep(0.1)
        all_playing = time.perf_counter() - started
        if len(first_played) < self.tiles:
            self.shot("live-16-timeout")
            self.fail(f"after 90 s only {len(first_played)} of {self.tiles} tiles passed 1 s of video: {last}")
        self.shot("live-16-playing")
        self.assertEqual(sorted(camera for camera, _ in played.values()), sorted(self.codes), "a different camera in each tile")
        self.assertEqual({size for _, size in played.values()}, {"1920x1080"})
        sockets = self.driver.execute_script("return window.__sockets.map((s) => [s.url, s.readyState]);")
        self.assertEqual(sockets, [[self.base_url.replace("http:", "ws:") + "/api/v1/live/ws", 1]], "one open WebSocket for all 16 tiles")
        decoded = self.driver.execute_script(
            "return Array.from(document.querySelectorAll('#live-grid .live-tile video')).map((v) => { const q = v.getVideoPlaybackQuality();"
            " return [q.totalVideoFrames, q.droppedVideoFrames]; });")
        print(f"\n    16 tiles (1080p25 H.264 from sipp): all past 1 s of video {all_playing:.1f} s after opening; "
              f"per tile {[round(first_played[n], 1) for n in range(self.tiles)]}; frames decoded/dropped {decoded}", flush=True)

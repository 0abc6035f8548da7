"""Live view: one WebSocket for every tile, layouts of 1/4/9/16, the viewer's watermark re-drawn each
second, failures in words in the current language, the PTZ pad only where allowed, and the map's
popup opening the live view."""
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
    """Real video: a simulated camera of the clerk's department registers with its own server and
    answers the INVITE with a GB/T 28181 PS file over RTP; the tile plays it through MSE."""

    @classmethod
    def setUpClass(cls):
        import os
        from gbshare_server import GBShareServer, free_port
        from sip_device import SIPDevice
        ps_file = os.path.join(os.path.dirname(settings.shared_data), "peers", "ps", "gb_ps_h264_1080p25_zlm.ps")
        assert os.path.exists(ps_file), f"{ps_file} is missing (../shared/peers)"
        sip_port = free_port()
        cls.server = GBShareServer(settings.binary, "playback", config={"sipPort": sip_port, "devicePassword": "Device#2026pass"})
        try:
            settings.add_users(cls.server)
            cls.server.import_directory(settings.sample_csv)
            cls.server.start()
        except Exception:
            cls.server.stop()
            raise
        cls.base_url = cls.server.url
        super().setUpClass()
        admin = API(cls.base_url, *settings.users["admin"])
        cls.code = admin.get("/api/v1/cameras", department="19", deviceStatus="1", hasErrors="false", limit=1)["items"][0]["code"]
        cls.device = SIPDevice(cls.code, sip_port, "Device#2026pass", channels=[{"code": cls.code, "name": "playback"}], ps_file=ps_file)
        assert cls.device.register() == 200, cls.server.log()
        cls.device.keepalive()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.device.close()
        cls.server.stop()

    def test_a_tile_plays_the_camera(self):
        self.login("clerk", f"/live?layout=1&cameras={self.code}")
        self.wait(lambda d: self.attr("#live-connection", "data-state") == "ready", message="live socket ready")
        supported = self.driver.execute_script("return MediaSource.isTypeSupported('video/mp4; codecs=\"avc1.640028\"');")
        self.assertTrue(supported, "this Chromium plays H.264 through MSE")
        tile = "#live-grid .live-tile[data-tile='0']"
        self.wait(lambda d: self.attr(tile, "data-state") in ("starting", "playing", "failed"), timeout=30, message="init or failure")
        self.assertNotEqual(self.attr(tile, "data-state"), "failed", self.text_of(f"{tile} .tile-status"))
        self.assertIn("avc1", self.attr(tile, "data-mime"))
        self.wait(lambda d: self.attr(tile, "data-state") == "playing", timeout=30, message="playing")
        self.wait(lambda d: d.execute_script(f"return document.querySelector(\"{tile} video\").currentTime;") > 1.0, timeout=30,
                  message="the video advances")
        size = self.driver.execute_script(f"const v = document.querySelector(\"{tile} video\"); return [v.videoWidth, v.videoHeight];")
        self.assertEqual(size, [1920, 1080])
        self.assertIn("卫健局录入员", self.attr(f"{tile} .tile-watermark", "data-text"))
        self.shot("live-playing")
        self.css(f"{tile} .tile-close").click()
        self.wait(lambda d: self.attr(tile, "data-state") == "empty")

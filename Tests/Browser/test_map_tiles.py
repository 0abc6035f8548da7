"""A city's own tile server from configuration (GBSHARE_MAP_TILE_URL): tiles load under the page's
Content-Security-Policy, which names that server's origin."""
import http.server
import struct
import threading
import zlib

from browser import ConsoleTestCase
from gbshare_server import free_port
from settings import settings


def png(width=256, height=256, rgb=(222, 234, 214)):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


class TileHandler(http.server.BaseHTTPRequestHandler):
    tile = png()
    requests = 0

    def do_GET(self):
        TileHandler.requests += 1
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.tile)))
        self.end_headers()
        self.wfile.write(self.tile)

    def log_message(self, *args):
        pass


class MapTileTests(ConsoleTestCase):
    @classmethod
    def setUpClass(cls):
        cls.tiles = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), TileHandler)
        threading.Thread(target=cls.tiles.serve_forever, daemon=True).start()
        tile_url = f"http://127.0.0.1:{cls.tiles.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
        try:
            cls.server = settings.start_server("tiles", extra_env={
                "GBSHARE_MAP_TILE_URL": tile_url, "GBSHARE_MAP_ATTRIBUTION": "测试底图"})
        except Exception:
            cls.tiles.shutdown()
            raise
        cls.base_url = cls.server.url
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.server.stop()
        cls.tiles.shutdown()

    def test_tiles_from_the_configured_server(self):
        self.login("admin", "/map")
        self.wait(lambda d: self.attr("#camera-map", "data-state") == "ready", timeout=60)
        self.assertIn("has-tiles", self.attr("#camera-map", "class"))
        self.wait(lambda d: len(d.find_elements("css selector", "#camera-map img.leaflet-tile-loaded")) > 0, message="tiles loaded")
        self.assertGreater(TileHandler.requests, 0)
        self.assertIn("测试底图", self.text_of("#camera-map .leaflet-control-attribution"))
        self.assertEqual(self.all_css("#camera-map .division-label"), [])
        self.shot("map-tiles")

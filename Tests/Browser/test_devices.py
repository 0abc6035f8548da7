"""Devices: a simulated GB/T 28181 camera registers with its own server (SIP on a free loopback port);
the devices page shows it online with its last keepalive, refreshes its catalog with progress, lists a
refused registration and a reported channel that is not filed; the record page shows reported values."""
import socket

from api_client import API
from browser import ConsoleTestCase
from settings import settings
from sip_device import SIPDevice

DEVICE_PASSWORD = "Device#2026pass"


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DeviceTests(ConsoleTestCase):
    @classmethod
    def setUpClass(cls):
        sip_port = free_udp_port()
        cls.server = settings.start_server("devices", config={
            "sipPort": sip_port, "sipHost": "127.0.0.1", "devicePassword": DEVICE_PASSWORD})
        cls.base_url = cls.server.url
        super().setUpClass()
        admin = API(cls.base_url, *settings.users["admin"])
        camera = admin.get("/api/v1/cameras", department="19", deviceStatus="1", hasErrors="false", limit=1)["items"][0]
        cls.camera = camera
        cls.code = camera["code"]
        cls.unfiled = cls.code[:14] + "987654"
        assert not admin.get("/api/v1/cameras", q=cls.unfiled, limit=1)["items"]
        cls.device = SIPDevice(cls.code, sip_port, DEVICE_PASSWORD, channels=[
            {"code": cls.code, "name": "上报名称" + cls.code[-4:], "address": "上报地址", "manufacturer": "TestVendor"},
            {"code": cls.unfiled, "name": "未登记通道"},
        ])
        status = cls.device.register()
        assert status == 200, f"the device's REGISTER was answered {status}:\n{cls.server.log()}"
        cls.device.keepalive()
        cls.stranger = SIPDevice(cls.code[:14] + "987653", sip_port, DEVICE_PASSWORD)
        cls.stranger_status = cls.stranger.register()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.device.close()
        cls.stranger.close()
        cls.server.stop()

    def test_online_device_catalog_refresh_and_queries(self):
        self.login("admin", "/devices")
        row = self.wait_css(f".device-table tr[data-code='{self.code}']")
        self.assertEqual(row.get_attribute("data-online"), "true")
        self.assertIn("秒前", row.text)
        self.assertIn("在线", self.css("#devices-summary").text)
        self.shot("devices")
        row.find_element("css selector", "a").click()
        self.wait_page()
        self.wait_css("#catalog-progress")
        self.css("#catalog-refresh").click()
        self.wait(lambda d: len(self.all_css(".channel-table tr[data-code]")) == 2, timeout=30, message="two channels after the refresh")
        self.assertEqual(self.attr(f".channel-table tr[data-code='{self.code}']", "data-filed"), "true")
        self.assertEqual(self.attr(f".channel-table tr[data-code='{self.unfiled}']", "data-filed"), "false")
        self.wait(lambda d: self.attr("#catalog-progress", "data-running") == "false", timeout=30)
        self.css("#device-info").click()
        self.wait_text("#device-query", "TestVendor", timeout=30)
        self.css("#device-status").click()
        self.wait_text("#device-query", "ONLINE", timeout=30)
        self.shot("device")

        # The unfiled channel and the refused registration.
        self.go("/devices?view=discovered")
        self.wait_css(f".discovered-table tr[data-code='{self.unfiled}']")
        self.go("/devices?view=refused")
        self.assertNotEqual(self.stranger_status, 200)
        row = self.wait_css(f".refused-table tr[data-code='{self.stranger.code}']")
        self.assertIn("未在资源目录登记", row.text)
        self.shot("devices-refused")

        # The record page shows what the device reports beside the filed values.
        self.go(f"/directory/camera/id-{self.camera['id']}")
        self.wait(lambda d: self.attr("#record-table", "data-reported") == self.code, message="reported values")
        self.assertIn("上报名称", self.text_of("#record-table td[data-reported=name]"))
        self.assertIn("TestVendor", self.text_of("#record-table td[data-reported=manufacturer]"))
        self.shot("camera-reported")

    def test_online_filter_and_english(self):
        self.login("clerk", "/devices?online=false")
        self.wait(lambda d: self.attr("#devices-list", "data-loaded") == "true")
        self.assertEqual(self.all_css(f".device-table tr[data-code='{self.code}']"), [])
        self.css("#lang-switch").click()
        self.wait_text("#view h1", "Devices")
        self.css("#lang-switch").click()

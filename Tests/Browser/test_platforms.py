"""Platforms: import the platform form, see problems by row, the list."""
import os
import tempfile

from browser import ConsoleTestCase
from synthetic import platform_form_csv


class PlatformTests(ConsoleTestCase):
    def test_import_platform_form_and_list(self):
        path = os.path.join(tempfile.mkdtemp(), "platforms.csv")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(platform_form_csv())
        self.login("admin", "/platforms")
        self.css("#platform-import-form input[type=file]").send_keys(path)
        self.css("#platform-import").click()
        outcome = self.wait_css("#platform-import-outcome .notice-success")
        self.assertIn("共 2 行", outcome.text)
        self.wait_text("#platform-list", "汕尾市公安视频平台")
        bad = self.css("#platform-list tr[data-key='4415']")
        self.assertIn("20位", bad.text)
        self.shot("platforms")

    def test_file_a_platform_by_form(self):
        self.login("admin", "/platforms")
        self.fill("#platform-form input[name=name]", "海丰县应急视频平台")
        self.fill("#platform-form input[name=compliant]", "是")
        self.css("#platform-save").click()
        self.wait_text(".message-slot", "平台已保存")
        self.wait_text("#platform-list", "海丰县应急视频平台")

    def test_clerk_sees_the_list_without_forms(self):
        self.login("clerk", "/platforms")
        self.wait_css("#platform-list")
        self.assertEqual(self.all_css("#platform-form"), [])

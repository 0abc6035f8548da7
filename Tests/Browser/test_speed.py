"""100,000 cameras: the directory's first page within 500 ms of the click, and later pages as fast."""
import os
import tempfile
import time
from statistics import median

from selenium.webdriver.support.ui import Select

from api_client import API
from browser import ConsoleTestCase
from gbshare_server import GBShareServer
from settings import settings
from synthetic import write_synthetic

LIMIT_MS = 500


class DirectorySpeedTests(ConsoleTestCase):
    @classmethod
    def setUpClass(cls):
        started = time.time()
        cls.server = GBShareServer(settings.binary, "speed")
        try:
            settings.add_users(cls.server)
            path = write_synthetic(settings.sample_csv, settings.speed_rows, os.path.join(tempfile.mkdtemp(), "directory-large.csv"))
            cls.server.import_directory(path)
            os.remove(path)
            cls.server.start()
        except Exception:
            cls.server.stop()
            raise
        print(f"\n  {settings.speed_rows:,}-camera directory imported and served in {time.time() - started:.1f} s", flush=True)
        cls.base_url = cls.server.url
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.server.stop()

    def click_and_time(self, button_selector):
        count = self.driver.execute_script("return (window.gbshareTimings || []).length;")
        started = time.perf_counter()
        self.css(button_selector).click()
        self.wait(lambda d: d.execute_script("return (window.gbshareTimings || []).length;") > count, timeout=30)
        outside = (time.perf_counter() - started) * 1000
        inside = self.driver.execute_script("return window.gbshareTimings[window.gbshareTimings.length - 1].ms;")
        return inside, outside

    def test_first_page_of_100000_under_500_ms(self):
        api = API(self.base_url, *settings.users["admin"])
        with_errors = api.get("/api/v1/cameras", hasErrors="true", limit=1, total="true")["total"]
        without = api.get("/api/v1/cameras", hasErrors="false", limit=1, total="true")["total"]
        self.assertEqual(with_errors + without, settings.speed_rows)
        listed = api.get("/api/v1/cameras", limit=1, total="true")["total"]
        self.login("admin", "/directory")
        self.wait_css("#camera-table tbody tr")
        self.wait(lambda d: self.attr("#result-summary", "data-total") == str(listed))
        # Each measurement three times, judged by its median: the machine is shared, a single
        # click can land behind another process's burst.
        results = []
        for sort in ["code", "-updated", "name"]:
            Select(self.css("#directory-form select[name=sort]")).select_by_value(sort)
            runs = []
            for _ in range(3):
                runs.append(self.click_and_time("#directory-search"))
                self.assertEqual(len(self.all_css("#camera-table tbody tr")), 100)
            results.append((sort, runs))
        pages = [self.click_and_time("#page-next") for _ in range(6)]
        self.assertEqual(self.attr("#camera-table", "data-page"), "7")
        self.shot("directory-100000")
        for sort, runs in results:
            print(f"  directory first page of {settings.speed_rows:,} cameras (sort {sort}): median {median(r[0] for r in runs):.0f} ms "
                  f"click→rows in the browser (runs {', '.join(f'{r[0]:.0f}' for r in runs)} ms; "
                  f"{', '.join(f'{r[1]:.0f}' for r in runs)} ms seen by the test driver)", flush=True)
        print(f"  next pages: median {median(p[0] for p in pages):.0f} ms ({', '.join(f'{p[0]:.0f}' for p in pages)} ms)", flush=True)
        for sort, runs in results:
            self.assertLess(median(r[0] for r in runs), LIMIT_MS, f"first page sorted by {sort}")
        self.assertLess(median(p[0] for p in pages), LIMIT_MS, "later pages")

"""Without Debian's JavaScript packages the console still works and says which package is missing."""
from browser import ConsoleTestCase
from settings import settings


class MissingLibraryTests(ConsoleTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = settings.start_server("novendor", extra_env={"GBSHARE_JAVASCRIPT_DIR": "/nonexistent/javascript"})
        cls.base_url = cls.server.url
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.server.stop()

    def test_dashboard_without_chart_js(self):
        self.login("admin", "/dashboard")
        notice = self.wait_css(".vendor-missing")
        self.assertIn("libjs-chart.js", notice.text)
        self.assertEqual(self.css("#kpis [data-kpi=filed] .kpi-value").text, "2,018")
        self.assertTrue(self.all_css(".stats-table tbody tr"))
        self.shot("no-vendor-dashboard")

    def test_map_without_leaflet(self):
        self.login("admin", "/map")
        notice = self.wait_css(".vendor-missing")
        self.assertIn("地图组件未安装（libjs-leaflet）", notice.text)
        self.wait(lambda d: self.attr("#camera-map", "data-state") == "ready", timeout=60)
        self.assertTrue(self.css("#map-status").text)
        self.shot("no-vendor-map")

    def test_duplicates_without_leaflet(self):
        self.login("admin", "/directory/duplicates")
        self.wait_css(".duplicate-group")
        self.assertIn("libjs-leaflet", self.css(".vendor-missing").text)

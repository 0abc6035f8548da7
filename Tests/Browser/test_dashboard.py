"""The dashboard's numbers equal the API's, and its charts are drawn."""
from api_client import API, kpis
from browser import ConsoleTestCase
from settings import settings


def number(value):
    return f"{value:,}"


def percent(value):
    return f"{value * 100:.1f}%"


class DashboardTests(ConsoleTestCase):
    def test_numbers_equal_the_api(self):
        api = API(self.base_url, *settings.users["admin"])
        stats = api.get("/api/v1/directory/statistics")
        expected = kpis(stats["total"])
        self.login("admin", "/dashboard")
        self.wait_css("#kpis")
        shown = {el.get_attribute("data-kpi"): el.find_element("css selector", ".kpi-value").text for el in self.all_css("#kpis .kpi")}
        self.assertEqual(shown["filed"], number(expected["filed"]))
        self.assertEqual(shown["connected"], number(expected["connected"]))
        self.assertEqual(shown["onlineRate"], percent(expected["onlineRate"]))
        self.assertEqual(shown["shareRate"], percent(expected["shareRate"]))
        self.assertEqual(shown["withErrors"], number(expected["withErrors"]))
        self.assertGreater(expected["filed"], 0)
        # Per department: the table rows carry the key; filed and online rate as the API computes them.
        rows = {row.get_attribute("data-key"): [td.text for td in row.find_elements("css selector", "td")]
                for row in self.all_css(".stats-table")[0].find_elements("css selector", "tbody tr")}
        for bucket in stats["byDepartment"]:
            self.assertEqual(rows[bucket["key"]][1], number(bucket["filed"]), bucket["key"])
            self.assertEqual(rows[bucket["key"]][4], percent(kpis(bucket)["onlineRate"]), bucket["key"])
        self.wait(lambda d: len(d.find_elements("css selector", ".chart-box[data-drawn=true]")) == 3, message="3 charts drawn")
        offline = api.get("/api/v1/cameras", networkStatus="2", limit=1, total="true")["total"]
        self.wait_css("#offline-cameras [data-count]")
        self.assertEqual(self.css("#offline-cameras [data-count]").get_attribute("data-count"), str(offline))
        self.wait_css("#overdue-requests[data-count]")
        self.wait_css("#rectification-summary table")
        self.shot("dashboard")

"""Directory search with every filter, paging, the record page, edit with messages in place, export,
the rectification report and duplicate groups."""
import csv
import glob
import os
import time
import urllib.parse

from selenium.webdriver.common.keys import Keys

from api_client import API
from browser import ConsoleTestCase
from settings import settings


class DirectoryTests(ConsoleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api = API(cls.base_url, *settings.users["admin"])

    def search_and_wait(self):
        before = self.driver.execute_script("return (window.gbshareTimings || []).length;")
        self.css("#directory-search").click()
        self.wait(lambda d: d.execute_script("return (window.gbshareTimings || []).length;") > before, message="results shown")

    def test_filters_reach_the_api_and_totals_agree(self):
        self.login("admin", "/directory")
        self.wait_css("#camera-table tbody tr")
        self.select("#directory-form select[name=department]", "19")
        self.select("#directory-form select[name=networkStatus]", "1")
        self.search_and_wait()
        expected = self.api.get("/api/v1/cameras", department="19", networkStatus="1", limit=1, total="true")["total"]
        self.assertEqual(self.css("#result-summary").get_attribute("data-total"), str(expected))
        self.assertIn("department=19", self.driver.current_url)
        labels = {row.find_elements("css selector", "td")[3].text for row in self.all_css("#camera-table tbody tr")}
        self.assertEqual(len(labels), 1, labels)
        self.shot("directory-filtered")

    def test_every_filter_at_once(self):
        query = {"q": "汕尾", "division": "441502", "department": "06", "pointClass": "2", "deviceStatus": "1",
                 "shareAttribute": "1", "networkStatus": "1", "platformCode": "", "hasErrors": "false",
                 "bbox": "114,22,117,24", "sort": "-updated"}
        self.login("admin", "/directory")
        self.wait_css("#camera-table tbody tr")
        self.fill("#directory-form input[name=q]", query["q"])
        self.fill("#directory-form input[name=bbox]", query["bbox"])
        for name in ["division", "department", "pointClass", "deviceStatus", "shareAttribute", "networkStatus", "hasErrors", "sort"]:
            self.select(f"#directory-form select[name={name}]", query[name])
        self.search_and_wait()
        expected = self.api.get("/api/v1/cameras", **query, limit=1, total="true")["total"]
        self.assertEqual(self.css("#result-summary").get_attribute("data-total"), str(expected))
        fragment = urllib.parse.parse_qs(self.driver.current_url.split("?", 1)[1])
        for name, value in query.items():
            if value:
                self.assertEqual(fragment[name], [value], name)
        # Reload: the filters come back from the address.
        self.driver.refresh()
        self.wait_page()
        self.wait(lambda d: self.attr("#result-summary", "data-total") == str(expected))

    def test_paging_forward_and_back(self):
        self.login("admin", "/directory?limit=50")
        self.wait_css("#camera-table tbody tr")
        first = [row.get_attribute("data-id") for row in self.all_css("#camera-table tbody tr")]
        self.assertEqual(len(first), 50)
        self.css("#page-next").click()
        self.wait(lambda d: self.attr("#camera-table", "data-page") == "2")
        second = [row.get_attribute("data-id") for row in self.all_css("#camera-table tbody tr")]
        self.assertFalse(set(first) & set(second))
        self.assertIn("第 2 /", self.css("#page-number").text)
        self.css("#page-prev").click()
        self.wait(lambda d: self.attr("#camera-table", "data-page") == "1")
        self.assertEqual([row.get_attribute("data-id") for row in self.all_css("#camera-table tbody tr")], first)

    def test_bad_bbox_is_marked_in_place_and_enter_submits(self):
        self.login("admin", "/directory")
        self.wait_css("#camera-table tbody tr")
        box = self.fill("#directory-form input[name=bbox]", "115,23")
        box.send_keys(Keys.ENTER)
        self.wait_text("#directory-form .field.has-error", "四个数字")
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("name"), "bbox")

    def test_record_page_shows_findings_history_and_edit_messages_in_place(self):
        camera = self.api.get("/api/v1/cameras", hasErrors="true", department="06", limit=1)["items"][0]
        finding = next(f for f in camera["findings"] if f.get("field"))
        self.login("admin", f"/directory/camera/id-{camera['id']}")
        row = self.wait_css(f"#record-table tr[data-field={finding['field']}]")
        self.assertIn(finding["message"], row.text)
        self.assertIn("设备上报值", self.css("#record-table thead").text)
        self.shot("camera-record")
        self.css("#edit-camera").click()
        self.wait_page()
        name = self.wait_css("#camera-form input[name=name]")
        name.clear()
        name.send_keys("长" * 101)
        self.css("#save-camera").click()
        self.wait_text("#camera-form .field.has-error", "最多100个字符")
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("name"), "name")
        new_name = f"浏览器测试点位{int(time.time())}"
        name.clear()
        name.send_keys(new_name)
        self.fill("#camera-form input[name=ipv4]", "999.1.1.1")
        self.css("#save-camera").click()
        self.wait_text("#camera-form input[name=ipv4] ~ .field-message", "IPv4")
        self.shot("camera-edit-findings")
        saved = self.api.get(f"/api/v1/cameras/id-{camera['id']}")
        self.assertEqual(saved["record"]["name"], new_name)
        self.assertTrue(any(f["rule"] == "ipv4_format" for f in saved["findings"]))
        self.go(f"/directory/camera/id-{camera['id']}")
        self.wait_text(".history-table", new_name)

    def test_missing_record_is_an_error_message(self):
        self.expect_http_error(404, "/api/v1/cameras/NO-SUCH-CAMERA")
        self.login("admin", "/directory/camera/NO-SUCH-CAMERA")
        alert = self.wait_css(".notice-error")
        self.assertIn("NO-SUCH-CAMERA", alert.text)

    def test_export_csv_of_the_filtered_query(self):
        for old in glob.glob(os.path.join(settings.downloads, "directory*.csv")):
            os.remove(old)
        self.login("admin", "/directory?department=19")
        self.wait_css("#camera-table tbody tr")
        self.css("#export-csv").click()
        self.wait_text(".message-slot", "已导出")
        self.wait(lambda d: glob.glob(os.path.join(settings.downloads, "directory*.csv"))
                  and not glob.glob(os.path.join(settings.downloads, "*.crdownload")), message="download finished")
        path = glob.glob(os.path.join(settings.downloads, "directory*.csv"))[0]
        with open(path, encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
        expected = self.api.get("/api/v1/cameras", department="19", limit=1, total="true")["total"]
        self.assertEqual(len(rows) - 1, expected)
        self.assertEqual(rows[0][0].rstrip("*"), "设备编码")

    def test_rectification_report(self):
        report = self.api.get("/api/v1/directory/report")
        self.login("admin", "/directory/report")
        tables = self.all_css(".report-table")
        self.assertEqual(len(tables[0].find_elements("css selector", "tbody tr")), len(report["byDepartment"]))
        self.assertEqual(len(tables[1].find_elements("css selector", "tbody tr")), len(report["byPlatform"]))
        worst = report["byDepartment"][0]
        row = tables[0].find_element("css selector", f"tbody tr[data-key='{worst['key']}']")
        self.assertIn(f"{worst['recordsWithErrors']:,}", row.text)
        self.shot("rectification-report")

    def test_duplicate_groups_on_a_small_map(self):
        groups = self.api.get("/api/v1/directory/duplicates")
        self.login("admin", "/directory/duplicates")
        self.wait(lambda d: self.attr("#duplicates-summary", "data-groups") == str(len(groups)))
        self.assertGreater(len(groups), 0)
        self.assertEqual(len(self.all_css(".duplicate-group")), len(groups))
        self.wait(lambda d: int(self.attr("#duplicates-map", "data-points") or 0) >= 2,
                  message="the first group's cameras on the map")
        second = self.all_css(".duplicate-group")[min(1, len(groups) - 1)]
        second.find_element("css selector", "button").click()
        self.wait(lambda d: self.attr("#duplicates-map", "data-group") == second.get_attribute("data-group"))
        self.shot("duplicates")

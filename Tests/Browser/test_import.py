"""Import the sample directory through the console: upload, every finding by row, confirm."""
import os
import tempfile

from api_client import API
from browser import ConsoleTestCase
from settings import settings
from synthetic import read_planted


class ImportTests(ConsoleTestCase):
    def test_upload_sample_see_findings_by_row_and_confirm(self):
        planted = read_planted(settings.planted_findings)
        self.login("clerk", "/directory/import")
        self.css("#import-form input[type=file]").send_keys(settings.sample_xlsx)
        self.css("#import-upload").click()
        self.wait_css("#import-summary", timeout=120)
        rows = self.css("#import-summary [data-summary=rows] dd").text
        self.assertEqual(rows, "2,018")
        self.wait_css("#findings-table tbody tr[data-row]")
        shown = {(int(tr.get_attribute("data-row")), tr.get_attribute("data-rule")) for tr in self.all_css("#findings-table tbody tr[data-row]")}
        self.assertEqual(len(shown) > 0, True)
        last_row_shown = max(row for row, _ in shown)
        # Every mistake planted in the rows this first page covers is listed with its row and rule.
        for row, _field, rule in planted:
            if row < last_row_shown:
                self.assertIn((row, rule), shown, f"planted {rule} in row {row}")
        self.shot("import-findings")
        # Errors only, then the next page.
        self.select(".findings-browser select[name=severity]", "error")
        self.wait(lambda d: d.execute_script(
            "const rows = [...document.querySelectorAll('#findings-table tbody tr[data-row]')];"
            "return rows.length > 0 && rows.every((tr) => tr.className === 'row-error');"), message="errors only")
        self.css("#import-confirm").click()
        status = self.wait_css("#import-status[data-status=applied]", timeout=120)
        self.assertEqual(status.text, "已导入")
        counts = {key: int(self.css(f"#import-summary [data-summary={key}] dd").text.replace(",", ""))
                  for key in ["inserted", "updated", "unchanged", "refused"]}
        self.assertEqual(sum(counts.values()), 2018)
        # The sample is already filed: rows that would change another department's camera are refused by
        # row (issue 11: an import once rewrote any camera it named) and listed with their reason.
        refused = self.all_css("#import-refusals .refusal-table tbody tr[data-row]")
        self.assertEqual(len(refused), counts["refused"])
        self.assertTrue(all(tr.get_attribute("data-reason") in ("other_department", "out_of_division_scope") for tr in refused))
        self.wait_text(".message-slot", "已导入")
        self.shot("import-applied")

    def test_unreadable_file_is_an_error_message(self):
        self.expect_http_error(422, "/api/v1/directory/imports")
        path = os.path.join(tempfile.mkdtemp(), "not-a-directory.xlsx")
        with open(path, "wb") as handle:
            handle.write(b"PK\x03\x04 this is not a workbook")
        self.login("clerk", "/directory/import")
        self.css("#import-form input[type=file]").send_keys(path)
        self.css("#import-upload").click()
        alert = self.wait_css(".message-slot .notice-error")
        self.assertTrue(alert.text.strip())
        self.shot("import-error")

    def test_choosing_no_file_is_marked_in_place(self):
        self.login("clerk", "/directory/import")
        self.css("#import-upload").click()
        self.wait_text("#import-form .field.has-error", "请选择文件")

    def test_auditor_sees_statistics_but_no_directory(self):
        # The auditor reads the audit log and the code tables, nothing that names a camera.
        self.login("auditor", "/dashboard")
        self.wait_css("#kpis")
        self.assertEqual(self.all_css("#nav a[data-nav=directory]"), [])
        self.assertEqual(self.all_css("#offline-cameras"), [])
        self.go("/directory/import")
        self.wait(lambda d: "#/dashboard" in d.current_url, message="sent back to the dashboard")
        API(self.base_url, *settings.users["auditor"])  # the auditor logs in fine through the API too

    def test_reviewer_has_no_import_tab(self):
        self.login("reviewer", "/directory")
        self.wait_css("#camera-table tbody tr")
        self.assertEqual(self.all_css(".tabs a[href='#/directory/import']"), [])

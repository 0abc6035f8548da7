"""The audit log for auditors: logins and share approvals are found with filters, the chain verifies,
the export is a CSV of the same filters; nobody else sees the entry."""
import csv
import glob
import os

from api_client import API
from browser import ConsoleTestCase
from settings import settings
from sharing_world import make_user, police_cameras, request_share, review


class AuditTests(ConsoleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A login of the clerk and an approval by the owning department, made through the API.
        owner = make_user(cls.base_url, "department_admin", "06", "4415", prefix="auditowner")
        cls.owner = owner[0]
        view = request_share(cls.base_url, "clerk", police_cameras(cls.base_url, 1), purpose="审计测试")
        cls.request_id = view["request"]["id"]
        review(cls.base_url, owner, cls.request_id)

    def search(self, **filters):
        for name, value in filters.items():
            element = self.css(f"#audit-form [name={name}]")
            if element.tag_name == "select":
                self.select(f"#audit-form select[name={name}]", value)
            else:
                self.fill(f"#audit-form [name={name}]", value)
        before = self.attr("#audit-summary", "data-count")
        self.driver.execute_script("document.getElementById('audit-list').dataset.loaded = 'false';")
        self.css("#audit-search").click()
        self.wait(lambda d: self.attr("#audit-list", "data-loaded") == "true", message="audit results")
        return before

    def test_logins_and_the_share_approval_are_on_record(self):
        self.login("clerk")
        self.login("auditor", "/audit")
        self.wait(lambda d: self.attr("#audit-list", "data-loaded") == "true")
        self.search(action="auth.login", actor=settings.users["clerk"][0])
        rows = self.all_css(".audit-table tbody tr[data-seq]")
        self.assertTrue(rows)
        self.assertTrue(all(r.get_attribute("data-action") == "auth.login" for r in rows))
        self.assertIn("登录", rows[0].text)
        self.search(action="share.approve", actor="")
        approvals = self.all_css(".audit-table tbody tr[data-seq]")
        self.assertTrue(any(r.get_attribute("data-actor") == self.owner for r in approvals))
        row = next(r for r in approvals if r.get_attribute("data-actor") == self.owner)
        self.assertIn(f"request:{self.request_id}", row.text)
        self.assertIn("审计测试", row.text)
        self.shot("audit-approvals")

        # The chain verifies.
        self.css("#audit-verify").click()
        result = self.wait_css("#audit-verify-result")
        self.assertEqual(result.get_attribute("data-intact"), "true")
        self.assertIn("审计链完整", result.text)

        # Export: a CSV of the same filters.
        for old in glob.glob(os.path.join(settings.downloads, "audit*.csv")):
            os.remove(old)
        self.css("#audit-export").click()
        self.wait_text(".message-slot", "已导出")
        self.wait(lambda d: glob.glob(os.path.join(settings.downloads, "audit*.csv"))
                  and not glob.glob(os.path.join(settings.downloads, "*.crdownload")), message="download finished")
        with open(glob.glob(os.path.join(settings.downloads, "audit*.csv"))[0], encoding="utf-8-sig") as handle:
            lines = list(csv.reader(handle))
        self.assertGreater(len(lines), 1)
        self.assertTrue(any(self.owner in line for line in lines[1:]))
        self.assertTrue(all("share.approve" in line for line in lines[1:]))
        self.shot("audit-verified")

    def test_paging_to_older_entries(self):
        auditor = API(self.base_url, *settings.users["auditor"])
        self.login("auditor", "/audit")
        self.wait(lambda d: self.attr("#audit-list", "data-loaded") == "true")
        first = auditor.get("/api/v1/audit", limit=100)
        shown = [int(r.get_attribute("data-seq")) for r in self.all_css(".audit-table tbody tr[data-seq]")]
        self.assertEqual(shown, [e["seq"] for e in first["entries"]])
        if first.get("nextBefore"):
            self.css("#audit-older").click()
            self.wait(lambda d: int(self.attr(".audit-table tbody tr[data-seq]", "data-seq")) < shown[-1], message="older page")
            self.css("#audit-newer").click()
            self.wait(lambda d: int(self.attr(".audit-table tbody tr[data-seq]", "data-seq")) == shown[0], message="back to the newest")

    def test_only_auditors_see_the_audit_log(self):
        for who in ("admin", "clerk", "reviewer"):
            self.login(who)
            self.assertEqual(self.all_css("#nav a[data-nav=audit]"), [], who)
            self.go("/audit")
            self.assertNotIn("#/audit", self.driver.current_url, who)
        self.login("auditor")
        self.assertTrue(self.all_css("#nav a[data-nav=audit]"))
        self.assertEqual(self.all_css("#nav a[data-nav=directory]"), [])

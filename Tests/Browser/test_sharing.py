"""Sharing: a department operator ticks cameras in the directory and asks for them; the owning
department's administrator approves; the data bureau approves part; the requester sees the grant.
Refusal needs a reason; a grant is revoked from the grants page; a query-based request."""
import urllib.parse

from api_client import API
from browser import ConsoleTestCase
from settings import settings
from sharing_world import make_user, police_cameras, request_share, review


class SharingTests(ConsoleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = make_user(cls.base_url, "department_admin", "06", "4415", prefix="policeadmin")
        cls.cameras = police_cameras(cls.base_url, 2)
        settings.user_specs["owner"] = {"username": cls.owner[0], "password": cls.owner[1]}

    def open_request_in_queue(self, request_id):
        self.go("/sharing?view=review")
        self.wait_css(f".request-table tr[data-id='{request_id}']")
        self.css(f".request-table tr[data-id='{request_id}'] a.open-request").click()
        self.wait_page()
        return self.wait_css("#share-request")

    def test_request_approve_in_two_steps_then_the_requester_sees_the_grant(self):
        first, second = self.cameras
        # The clerk ticks two police cameras in the directory and asks for them.
        self.login("clerk", "/directory?department=06&shareAttribute=0&hasErrors=false&deviceStatus=1&limit=50")
        self.wait_css("#camera-table tbody tr")
        self.assertTrue(self.css("#share-selected").get_attribute("disabled"))
        for code in (first, second):
            self.css(f"#camera-table input.select-camera[value='{code}']").click()
        self.wait_text("#share-selected", "2")
        self.shot("sharing-directory-selection")
        self.css("#share-selected").click()
        self.wait_page()
        self.wait_css("#share-form")
        self.assertEqual(self.value_of("#share-form textarea[name=cameras]").split(), [first, second])
        # Purpose is required, in place.
        self.css("#share-form input[name=permissions][value='2']").click()
        self.css("#share-submit").click()
        self.wait_text("#share-form textarea[name=purpose] ~ .field-message", "使用事由")
        self.fill("#share-form textarea[name=purpose]", "道路交通事故核查")
        self.fill("#share-form input[name=days]", "10")
        self.shot("sharing-new-request")
        self.css("#share-submit").click()
        self.wait_css("#share-request[data-status=pending]")
        request_id = self.attr("#share-request", "data-id")
        self.assertEqual(len(self.all_css(".outcome-table tr[data-state=pending]")), 2)
        self.assertIn("摄像机所属部门", self.text_of(".outcome-table"))
        # In "my requests", pending with a deadline.
        self.go("/sharing?view=mine")
        row = self.wait_css(f".request-table tr[data-id='{request_id}']")
        self.assertIn("待审批", row.text)
        self.assertIn("道路交通事故核查", row.text)

        # The police department's administrator approves every camera.
        self.login("owner")
        self.open_request_in_queue(request_id)
        self.wait_css("#review-form")
        self.shot("sharing-review-owner")
        self.css("#approve-all").click()
        self.wait(lambda d: "批准" in (self.text_of(".review-table") or ""), message="owner review shown")
        self.assertEqual(self.attr("#share-request", "data-status"), "pending")
        self.assertIn("政数局", self.text_of(".outcome-table"))
        self.assertEqual(self.all_css("#review-form"), [])

        # The data bureau approves one camera, live view only.
        self.login("reviewer")
        self.open_request_in_queue(request_id)
        self.wait_css("#review-form")
        self.css(f"#review-form input[name=camera][value='{second}']").click()
        self.css("#review-form input[name=reviewPermissions][value='2']").click()
        self.fill("#review-form textarea[name=comment]", "仅批准一路实时视频")
        self.css("#approve-part").click()
        self.wait_css("#share-request[data-status=partial]")
        self.assertEqual(self.attr(f".outcome-table tr[data-code='{first}']", "data-state"), "granted")
        self.assertEqual(self.attr(f".outcome-table tr[data-code='{second}']", "data-state"), "refused")
        self.wait_css("#request-grants a")
        self.shot("sharing-request-partial")

        # The clerk sees the grant: one camera, live view only, active.
        self.login("clerk", "/sharing/grants")
        self.wait(lambda d: self.attr("#grant-list", "data-loaded") == "true")
        grant_id = self.driver.execute_script(
            "return [...document.querySelectorAll('.grant-table tr[data-id]')].map((r) => r.dataset.id);")
        api = API(self.base_url, *settings.users["clerk"])
        grant = next(g for g in api.get("/api/v1/grants") if g["requestID"].lower() == request_id.lower())
        self.assertIn(grant["id"], grant_id)
        row = self.css(f".grant-table tr[data-id='{grant['id']}']")
        self.assertEqual(row.get_attribute("data-state"), "active")
        row.find_element("css selector", "summary").click()
        self.assertIn(first, row.text)
        self.assertNotIn(second, row.text)
        self.assertIn("实时视频点播", row.text)
        self.assertNotIn("历史视频回放", row.text)
        self.assertEqual(self.all_css(".revoke-grant"), [], "an operator may not revoke")
        self.shot("sharing-grants-requester")
        # And the status of the request in "my requests".
        self.go("/sharing?view=mine&status=partial")
        self.wait_css(f".request-table tr[data-id='{request_id}'][data-status=partial]")

    def test_refusal_needs_a_reason_and_the_owner_revokes_a_grant(self):
        view = request_share(self.base_url, "clerk", self.cameras[:1], purpose="拒绝测试")
        refused_id = view["request"]["id"]
        self.login("owner")
        self.open_request_in_queue(refused_id)
        self.css("#reject-request").click()
        self.wait_text("#review-form textarea[name=comment] ~ .field-message", "理由")
        self.fill("#review-form textarea[name=comment]", "涉及敏感点位")
        self.css("#reject-request").click()
        self.wait_css("#share-request[data-status=rejected]")
        self.assertIn("涉及敏感点位", self.text_of(".review-table"))

        # A request granted through the API, then revoked by the owning department on the console.
        view = request_share(self.base_url, "clerk", self.cameras[:1], permissions="1", purpose="撤销测试")
        granted_id = view["request"]["id"]
        review(self.base_url, self.owner, granted_id)
        view = review(self.base_url, settings.users["reviewer"], granted_id)
        self.assertEqual(view["request"]["status"], "approved")
        grant_id = view["grantIDs"][0]
        self.go("/sharing/grants?scope=owned")
        row = self.wait_css(f".grant-table tr[data-id='{grant_id}']")
        row.find_element("css selector", ".revoke-grant").click()
        row.find_element("css selector", ".confirm-revoke").click()
        self.assertEqual(row.find_element("css selector", "input[name=revokeReason]").get_attribute("aria-invalid"), "true")
        row.find_element("css selector", "input[name=revokeReason]").send_keys("期限内不再需要")
        row.find_element("css selector", ".confirm-revoke").click()
        self.wait(lambda d: self.attr(f".grant-table tr[data-id='{grant_id}']", "data-state") == "revoked", message="revoked")
        self.assertIn("期限内不再需要", self.text_of(f".grant-table tr[data-id='{grant_id}']"))
        api = API(self.base_url, *settings.users["clerk"])
        self.assertTrue(next(g for g in api.get("/api/v1/grants") if g["id"] == grant_id)["revokedAt"])

    def test_request_by_directory_query(self):
        self.login("clerk", "/directory?department=06&pointClass=1&networkStatus=1")
        self.wait_css("#camera-table tbody tr")
        self.css("#share-query").click()
        self.wait_page()
        self.wait_css("#share-query")
        self.assertEqual(self.value_of("#share-form select[name=department]"), "06")
        self.assertEqual(self.value_of("#share-form select[name=pointClass]"), "1")
        self.assertIn("networkStatus", self.text_of("#share-query .notice-warning"))
        self.fill("#share-form textarea[name=purpose]", "按条件申请测试")
        self.css("#share-submit").click()
        self.wait_css("#share-request[data-status]")
        self.assertIn("department=06", self.text_of(".facts"))
        request_id = self.attr("#share-request", "data-id")
        api = API(self.base_url, *settings.users["clerk"])
        view = api.get(f"/api/v1/share-requests/{request_id}")
        self.assertEqual(view["request"]["selection"]["query"]["department"], "06")
        self.assertEqual(view["request"]["selection"]["query"]["pointClass"], "1")
        # Withdraw it again: the requester may while it is pending.
        if view["request"]["status"] == "pending":
            self.css("#withdraw-request").click()
            self.driver.switch_to.alert.accept()
            self.wait_css("#share-request[data-status=withdrawn]")

    def test_pages_in_english_and_the_auditor_sees_no_sharing(self):
        self.login("clerk", "/sharing")
        self.css("#lang-switch").click()
        self.wait_text("#view h1", "Sharing")
        self.wait_text(".tabs", "New request")
        self.css("#lang-switch").click()
        self.wait_text("#view h1", "共享申请")
        self.login("auditor")
        self.assertEqual(self.all_css("#nav a[data-nav=sharing]"), [])


class OverdueTests(ConsoleTestCase):
    """A server whose owners have no working day to answer: every request is overdue at once."""

    @classmethod
    def setUpClass(cls):
        cls.server = settings.start_server("overdue", config={"sharing": {"ownerDeadlineWorkingDays": 0}})
        cls.base_url = cls.server.url
        super().setUpClass()
        cls.owner = make_user(cls.base_url, "department_admin", "06", "4415", prefix="lateadmin")
        cls.cameras = police_cameras(cls.base_url, 1)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.server.stop()

    def test_overdue_requests_are_marked_in_the_queue_and_on_the_dashboard(self):
        view = request_share(self.base_url, "clerk", self.cameras, purpose="逾期测试")
        request_id = view["request"]["id"]
        settings.user_specs["lateowner"] = {"username": self.owner[0], "password": self.owner[1]}
        self.login("lateowner", "/sharing?view=review")
        row = self.wait_css(f".request-table tr[data-id='{request_id}']")
        self.assertIn("row-overdue", row.get_attribute("class"))
        self.assertTrue(row.find_elements("css selector", "[data-overdue=true]"))
        self.assertIn("已逾期", self.css("#request-summary").text)
        self.shot("sharing-overdue-queue")
        self.go("/dashboard")
        self.wait(lambda d: self.attr("#overdue-requests", "data-count") not in (None, "0"), message="overdue on the dashboard")
        self.assertIn("逾期测试", self.text_of("#overdue-requests"))
        # Past the deadline the data bureau may answer in the owner's place.
        self.login("reviewer", "/sharing")
        self.wait_css(f".request-table tr[data-id='{request_id}'].row-overdue")

"""Upper platforms (cascade): the bureau adds the province, sees the link's state and history, shares
a camera with PTZ, revokes it; a department clerk has no such page."""
from api_client import API
from browser import ConsoleTestCase
from settings import settings

PROVINCE = "44000000002000000001"


class UpperPlatformTests(ConsoleTestCase):
    def shareable_camera(self):
        """A filed camera without error findings (the authorizer grants nothing else to an upper)."""
        api = API(self.base_url, *settings.users["admin"])
        for camera in api.all_cameras():
            if camera.get("errorCount", 1) == 0:
                return camera["record"]["code"]
        self.fail("the sample directory has no camera without error findings")

    def test_add_an_upper_see_its_state_and_grant_it_ptz(self):
        self.login("admin", "/uppers")
        self.wait_css("#upper-list .result-summary")
        # Nobody listens on port 9: the link is added and keeps trying, and says so.
        self.fill("#upper-form input[name=platformID]", PROVINCE)
        self.fill("#upper-form input[name=name]", "省视频图像共享交换平台")
        self.fill("#upper-form input[name=host]", "127.0.0.1")
        self.fill("#upper-form input[name=port]", "9")
        self.fill("#upper-form input[name=password]", "Province#Link2026")
        self.css("#upper-save").click()
        self.wait_text(".message-slot", "已添加")
        row = f"#upper-list tr[data-key='{PROVINCE}']"
        self.wait_css(row)
        self.assertIn("127.0.0.1:9/udp", self.text_of(row))
        self.assertEqual(self.value_of("#upper-form input[name=password]"), "", "the password is not kept in the form")
        self.css(f"{row} button[data-action=open]").click()
        self.wait_text("#upper-events", PROVINCE)
        self.wait_text("#upper-events .upper-events", "正在注册")  # the history in words, not codes
        self.wait_text("#upper-grants", "尚无授权")
        self.shot("uppers")

        # A code nobody filed is refused in words; a filed camera is granted with PTZ, listed, and revoked.
        self.expect_http_error(403, "/grants")
        self.fill("#upper-grant-form textarea[name=cameras]", "44000000001329999999")
        self.fill("#upper-grant-form input[name=purpose]", "省级指挥调度")
        self.css("#upper-grant-form input[name=permissions][value='4']").click()
        self.css("#upper-grant-save").click()
        self.wait_text(".message-slot", "44000000001329999999")
        code = self.shareable_camera()
        self.fill("#upper-grant-form textarea[name=cameras]", code)
        self.css("#upper-grant-save").click()
        self.wait_text(".message-slot", "已向上级授权 1 路摄像机")
        self.wait_text("#upper-grants .upper-grants", code)
        self.assertIn("云台", self.text_of("#upper-grants .upper-grants"))
        grants = API(self.base_url, *settings.users["admin"]).get(f"/api/v1/upper-platforms/{PROVINCE}/grants")
        self.assertEqual([g["cameras"][0]["code"] for g in grants], [code])
        self.driver.execute_script("window.prompt = () => '演练结束';")
        self.css("#upper-grants button[data-action=revoke]").click()
        self.wait_text(".message-slot", "授权已撤销")
        self.wait_text("#upper-grants .upper-grants", "已撤销")

        # Disabling the link says so in the row.
        toggle = self.css(f"{row} button[data-action=toggle]")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", toggle)
        toggle.click()
        self.wait_text(".message-slot", "已停用")
        self.wait_text(row, "已停用")

    def test_clerk_has_no_upper_platform_page(self):
        self.login("clerk", "/dashboard")
        self.wait_css("nav")
        self.assertEqual([a for a in self.all_css("nav a") if "#/uppers" in (a.get_attribute("href") or "")], [])

"""Users for the system administrator: create with role and department, a system account's API key
shown once and revoked; the password change page; nobody else sees the page."""
import time
import urllib.error

from api_client import API
from browser import ConsoleTestCase
from settings import settings


class UserTests(ConsoleTestCase):
    def test_disable_move_and_enable_an_account(self):
        """Issue 11 item 12: an account is disabled, moved to another department and enabled again from the
        console; a disabled account cannot log in."""
        from sharing_world import make_user
        username, password = make_user(self.base_url, "department_operator", department="19", division="441502", prefix="leaver")
        self.login("admin", "/users")
        row = f".user-table tr[data-username='{username}']"

        def click(selector):
            # The sticky top bar covers a row scrolled to the top edge: click it in the middle of the view.
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", self.wait_css(selector))

        click(f"{row} .toggle-user")
        self.wait(lambda d: self.attr(row, "data-active") == "false", message="disabled")
        with self.assertRaises(urllib.error.HTTPError):
            API(self.base_url, username, password)
        click(f"{row} .edit-user")
        self.wait(lambda d: not self.css("#edit-user").get_attribute("hidden"))
        self.select("#edit-user-form select[name=departmentCode]", "06")
        click("#save-user")
        self.wait(lambda d: "06" in self.text_of(row), message="moved to 06")
        click(f"{row} .toggle-user")
        self.wait(lambda d: self.attr(row, "data-active") == "true", message="enabled")
        me = API(self.base_url, username, password).get("/api/v1/auth/me")
        self.assertEqual(me["departmentCode"], "06")

    def test_create_users_and_issue_and_revoke_a_key(self):
        self.login("admin", "/users")
        self.wait_css(".user-table tr[data-username=admin]")
        self.shot("users")
        # A department operator without a department is refused in place.
        name = f"op{int(time.time()) % 1000000}"
        self.fill("#user-form input[name=username]", name)
        self.select("#user-form select[name=role]", "department_operator")
        self.fill("#user-form input[name=password]", "Opera#2026pass")
        self.css("#create-user").click()
        self.wait_text("#user-form select[name=departmentCode] ~ .field-message", "部门")
        self.select("#user-form select[name=departmentCode]", "19")
        self.fill("#user-form input[name=divisionScope]", "441502")
        self.fill("#user-form input[name=password]", "Opera#2026pass")
        self.css("#create-user").click()
        row = self.wait_css(f".user-table tr[data-username='{name}']")
        self.assertIn("部门操作员", row.text)
        self.assertIn("441502", row.text)
        API(self.base_url, name, "Opera#2026pass")  # can log in

        # A system account and its key, shown once.
        account = f"sys{int(time.time()) % 1000000}"
        self.fill("#user-form input[name=username]", account)
        self.select("#user-form select[name=role]", "system_account")
        self.select("#user-form select[name=departmentCode]", "19")
        self.fill("#user-form input[name=password]", "System#2026pass")
        self.css("#create-user").click()
        self.wait_css(f".user-table tr[data-username='{account}'] .issue-key").click()
        self.wait(lambda d: self.value_of("#issue-key-form select[name=account]") == account)
        self.fill("#issue-key-form input[name=keyLabel]", "网格化平台对接")
        self.css("#issue-key").click()
        key = self.wait_css("#issued-key-value").get_attribute("value")
        self.assertTrue(key.startswith("gbk_"), key)
        self.shot("users-key-issued")
        keyed = API(self.base_url)
        keyed.token = key
        self.assertEqual(keyed.get("/api/v1/auth/me")["username"], account)
        self.css(".key-table .revoke-key").click()
        self.driver.switch_to.alert.accept()
        self.wait_text(".key-table", "已撤销")
        with self.assertRaises(urllib.error.HTTPError) as refused:
            keyed.get("/api/v1/auth/me")
        self.assertEqual(refused.exception.code, 401)

    def test_only_the_administrator_sees_users(self):
        for who in ("clerk", "reviewer", "auditor"):
            self.login(who)
            self.assertEqual(self.all_css("#nav a[data-nav=users]"), [], who)
        self.login("admin")
        self.assertTrue(self.all_css("#nav a[data-nav=users]"))

    def test_password_page_is_linked_from_the_user_bar(self):
        self.login("clerk")
        self.css("#user-bar a.user-link").click()
        self.wait_css("#password-form")

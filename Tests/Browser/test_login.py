"""Login, logout, change password, and the user bar; keyboard only."""
import urllib.error

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from api_client import API
from browser import ConsoleTestCase
from settings import settings


class LoginTests(ConsoleTestCase):
    def test_wrong_password_is_a_message_not_a_blank_page(self):
        self.expect_http_error(401, "/api/v1/auth/login")
        self.open("/login")
        self.fill("#login-form input[name=username]", settings.users["reviewer"][0])
        self.fill("#login-form input[name=password]", "not-the-password")
        self.css("#login-form input[name=password]").send_keys(Keys.ENTER)
        alert = self.wait_css(".message-slot .notice-error")
        self.assertIn("用户名或密码错误", alert.text)
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("name"), "password")
        self.shot("login-error")

    def test_empty_fields_are_marked_in_place(self):
        self.open("/login")
        self.css("#login-submit").click()
        message = self.wait_css("#login-form .field.has-error .msg-error")
        self.assertEqual(message.text, "必填")
        self.assertEqual(self.css("#login-form input[name=username]").get_attribute("aria-invalid"), "true")

    def test_keyboard_login_shows_name_department_role_then_logout(self):
        username, password = settings.users["clerk"]
        self.driver.get(self.base_url + "/")
        self.wait(lambda d: "#/login" in d.current_url, message="sent to login")
        self.wait(lambda d: d.switch_to.active_element.get_attribute("name") == "username", message="focus on user name")
        active = self.driver.switch_to.active_element
        active.send_keys(username)
        active.send_keys(Keys.TAB)
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("name"), "password")
        self.driver.switch_to.active_element.send_keys(password, Keys.ENTER)
        self.wait_text("#user-bar .user-name", settings.user_specs["clerk"]["displayName"])
        self.wait_text("#user-bar .user-department", "卫生")
        self.assertEqual(self.css("#user-bar .user-role").text, "部门操作员")
        self.assertIn("#/dashboard", self.driver.current_url)
        self.wait_page()
        self.shot("user-bar")
        self.css("#logout-button").click()
        self.wait_text(".message-slot", "您已退出")
        self.assertEqual(self.all_css("#user-bar .user-name"), [])
        # The token is gone on the server too.
        self.go("/directory")
        self.wait(lambda d: "#/login" in d.current_url, message="back to login")

    def test_change_password_messages_in_place_then_login_with_new(self):
        username, password = settings.users["pwuser"]
        new = "Renewed#2026pass"
        self.expect_http_error(401, "/api/v1/auth/password")
        try:
            self.change_password(username, password, new)
        finally:
            # Put the old password back for the next run against the same server.
            try:
                api = API(self.base_url, username, new)
                api.post("/api/v1/auth/password", {"oldPassword": new, "newPassword": password})
            except urllib.error.HTTPError:
                pass

    def change_password(self, username, password, new):
        self.login("pwuser", "/account/password")
        self.fill("#password-form input[name=oldPassword]", password)
        self.fill("#password-form input[name=newPassword]", new)
        self.fill("#password-form input[name=again]", new + "x")
        self.css("#password-form input[name=again]").send_keys(Keys.ENTER)
        self.wait_text("#password-form .field.has-error", "两次输入的新密码不一致")
        self.fill("#password-form input[name=oldPassword]", "wrong-old-password")
        self.fill("#password-form input[name=again]", new)
        self.css("#password-form button[type=submit]").click()
        self.wait_text("#password-form .field.has-error", "用户名或密码错误")
        self.shot("password-errors")
        self.fill("#password-form input[name=oldPassword]", password)
        self.css("#password-form button[type=submit]").click()
        self.wait_text(".message-slot", "密码已修改")
        self.fill("#login-form input[name=username]", username)
        self.fill("#login-form input[name=password]", new)
        self.css("#login-form input[name=password]").send_keys(Keys.ENTER)
        self.wait_text("#user-bar .user-name", settings.user_specs["pwuser"]["displayName"])
        self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, "#login-form"))

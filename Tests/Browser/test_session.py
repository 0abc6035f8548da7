"""A session that ends sends the user to login and back, with what they typed."""
from api_client import API
from browser import ConsoleTestCase
from settings import settings


class SessionTests(ConsoleTestCase):
    def test_revoked_token_goes_to_login_and_keeps_the_typed_search(self):
        self.expect_http_error(401, "/api/v1/cameras")
        self.login("clerk", "/directory")
        self.wait_css("#camera-table tbody tr")
        self.fill("#directory-form input[name=q]", "陆河")
        self.select("#directory-form select[name=pointClass]", "1")
        # The server ends the token (as at expiry or when the password changes elsewhere).
        api = API(self.base_url)
        api.token = self.token()
        api.post("/api/v1/auth/logout")
        self.css("#directory-search").click()
        self.wait(lambda d: "#/login" in d.current_url, message="sent to login")
        self.wait_text(".message-slot", "登录已过期")
        self.shot("session-expired")
        username, password = settings.users["clerk"]
        self.fill("#login-form input[name=username]", username)
        self.fill("#login-form input[name=password]", password)
        self.css("#login-submit").click()
        self.wait(lambda d: "#/directory" in d.current_url, message="back on the directory")
        self.wait_page()
        self.wait(lambda d: self.value_of("#directory-form input[name=q]") == "陆河")
        self.assertEqual(self.css("#directory-form select[name=pointClass]").get_attribute("value"), "1")
        expected = API(self.base_url, username, password).get("/api/v1/cameras", q="陆河", pointClass="1", limit=1, total="true")["total"]
        self.wait(lambda d: self.attr("#result-summary", "data-total") == str(expected),
                  message="the restored search ran")

    def test_no_token_means_login_first(self):
        self.driver.get(self.base_url + "/#/directory/report")
        self.wait(lambda d: "#/login" in d.current_url)
        self.assertIn("next=", self.driver.current_url)

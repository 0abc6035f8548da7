"""Headless Chromium through chromedriver, with the helpers every browser test uses."""
import json
import os
import re
import time
import unittest

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from settings import settings

SIZES = [(1280, 720), (1920, 1080)]


def new_driver(width=1280, height=720):
    options = webdriver.ChromeOptions()
    options.binary_location = settings.chromium
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--lang=zh-CN", "--force-device-scale-factor=1",
                     "--disable-features=Translate,MediaRouter", "--no-first-run"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option("prefs", {
        "download.default_directory": settings.downloads,
        "download.prompt_for_download": False,
        "intl.accept_languages": "zh-CN,zh",
    })
    driver = webdriver.Chrome(service=Service(executable_path=settings.chromedriver), options=options)
    driver.set_script_timeout(30)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": settings.downloads})
    set_viewport(driver, width, height)
    return driver


def set_viewport(driver, width, height):
    """Sizes the window so the page itself (innerWidth x innerHeight) is width x height."""
    driver.set_window_size(width, height)
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight];")
    if inner != [width, height]:
        driver.set_window_size(width + (width - inner[0]), height + (height - inner[1]))


class ConsoleTestCase(unittest.TestCase):
    """One Chromium per test class. Every test fails on a browser console error (SEVERE) unless it
    names the failing API response it provoked on purpose (expect_http_error)."""

    base_url = None  # the server under test; subclasses may point elsewhere
    window = (1280, 720)

    @classmethod
    def setUpClass(cls):
        cls.base_url = cls.base_url or settings.url
        cls.driver = new_driver(*cls.window)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()

    def setUp(self):
        self.expected_errors = []
        # fresh_console() visits /vendor/status.json, a page without an icon link: Chromium may then ask
        # for /favicon.ico (404) at any moment. The console itself names /assets/favicon.svg.
        self.expect_http_error(404, "/favicon.ico")
        self.fresh_console()
        self.driver.get_log("browser")

    def fresh_console(self):
        """Forgets any session (on a page of the origin without the console), then loads a fresh
        console: the same URL with only a new hash would keep the old page and its state."""
        self.driver.get(self.base_url + "/vendor/status.json")
        self.driver.execute_script("sessionStorage.clear(); localStorage.clear();")
        self.driver.get(self.base_url + "/#/login")

    def tearDown(self):
        self.assert_no_console_errors()

    # Console log --------------------------------------------------------------------------------

    def expect_http_error(self, status, path_fragment):
        """A failed response this test provokes on purpose: Chromium logs it as an error."""
        self.expected_errors.append(re.compile(re.escape(path_fragment) + r".*status of " + str(status)
                                               + r"|status of " + str(status) + r".*" + re.escape(path_fragment)))

    def assert_no_console_errors(self):
        entries = self.driver.get_log("browser")
        severe = [e for e in entries if e["level"] == "SEVERE"]
        unexpected = [e for e in severe if not any(p.search(e["message"]) for p in self.expected_errors)]
        if unexpected:
            self.fail("browser console errors:\n" + "\n".join(e["message"] for e in unexpected))

    # Navigation ---------------------------------------------------------------------------------

    def open(self, route):
        self.driver.get(f"{self.base_url}/#{route}")
        return self.wait_page()

    def go(self, route):
        self.driver.execute_script("location.hash = arguments[0];", route)
        return self.wait_page()

    def wait_page(self, timeout=20):
        """Waits until the router has rendered a page (no section is busy)."""
        self.wait(lambda d: d.execute_script(
            "const s = document.querySelector('#view > section.page'); return s && !s.hasAttribute('aria-busy');"), timeout)
        return self.driver.find_element(By.CSS_SELECTOR, "#view > section.page")

    def wait(self, condition, timeout=20, message=""):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(condition)
        except TimeoutException:
            self.shot("timeout-" + self.id().split(".")[-1])
            raise AssertionError(f"timed out waiting: {message or condition}")

    def wait_css(self, selector, timeout=20):
        return self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)), timeout, selector)

    def wait_text(self, selector, text, timeout=20):
        self.wait(lambda d: text in (self.text_of(selector) or ""), timeout, f"{text!r} in {selector}")
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    # Read in one script call: the page may re-render between finding an element and reading it.
    def text_of(self, selector):
        return self.driver.execute_script("const el = document.querySelector(arguments[0]); return el ? el.innerText : null;", selector)

    def value_of(self, selector):
        return self.driver.execute_script("const el = document.querySelector(arguments[0]); return el ? el.value : null;", selector)

    def attr(self, selector, name):
        return self.driver.execute_script(
            "const el = document.querySelector(arguments[0]); return el ? el.getAttribute(arguments[1]) : null;", selector, name)

    def css(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def all_css(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    # Users --------------------------------------------------------------------------------------

    def state_login_purpose(self, text="日常巡查"):
        """On the live page: states the login's purpose of use (使用事由) in the side card, as a user
        does before opening a wall of cameras (the policy asks it once per login for live)."""
        self.fill("#live-purpose-input", text)
        self.css("#live-purpose-form button[type=submit]").click()
        self.wait(lambda d: self.text_of("#live-purpose") == text, message="the login's purpose shown")

    def login(self, who="admin", route=None):
        username, password = settings.users[who]
        self.fresh_console()
        self.wait_css("#login-form input[name=username]")
        self.fill("#login-form input[name=username]", username)
        self.fill("#login-form input[name=password]", password)
        self.css("#login-form input[name=password]").send_keys(Keys.ENTER)
        self.wait(lambda d: "#/login" not in d.current_url and d.find_elements(By.CSS_SELECTOR, "#user-bar .user-name"),
                  message="logged in")
        if route:
            return self.go(route)
        return self.wait_page()

    def token(self):
        saved = self.driver.execute_script("return sessionStorage.getItem('gbshare.session');")
        return json.loads(saved)["token"] if saved else None

    def fill(self, selector, text):
        element = self.css(selector)
        element.clear()
        element.send_keys(text)
        return element

    def select(self, selector, value):
        from selenium.webdriver.support.ui import Select
        Select(self.css(selector)).select_by_value(value)

    # Output -------------------------------------------------------------------------------------

    def shot(self, name):
        width = self.driver.execute_script("return window.innerWidth;")
        height = self.driver.execute_script("return window.innerHeight;")
        path = os.path.join(settings.output, f"{name}-{width}x{height}.png")
        self.driver.save_screenshot(path)
        return path

    def no_horizontal_overflow(self):
        return self.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1;")

    def timed(self, action, condition, timeout=20):
        started = time.perf_counter()
        action()
        self.wait(condition, timeout)
        return (time.perf_counter() - started) * 1000

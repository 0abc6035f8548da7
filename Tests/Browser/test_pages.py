"""Every page at 1280x720 and 1920x1080 (screenshots for a person to look at), no page left "being
built", the English switch, and the field list against the OpenAPI document."""
from selenium.webdriver.common.keys import Keys

from api_client import API
from browser import SIZES, ConsoleTestCase, set_viewport
from settings import settings

class PageTourTests(ConsoleTestCase):
    def pages(self):
        api = API(self.base_url, *settings.users["admin"])
        camera = api.get("/api/v1/cameras", hasErrors="true", limit=1)["items"][0]
        return [
            ("dashboard", "/dashboard", "#kpis"),
            ("directory", "/directory", "#camera-table tbody tr"),
            ("camera", f"/directory/camera/id-{camera['id']}", "#record-table"),
            ("camera-edit", f"/directory/camera/id-{camera['id']}/edit", "#camera-form"),
            ("camera-new", "/directory/new", "#camera-form"),
            ("import", "/directory/import", "#import-form"),
            ("report", "/directory/report", ".report-table"),
            ("duplicates", "/directory/duplicates", ".duplicate-group"),
            ("map", "/map", "#camera-map[data-state=ready]"),
            ("platforms", "/platforms", "#platform-list"),
            ("password", "/account/password", "#password-form"),
            ("live", "/live", "#live-grid .live-tile"),
            ("devices", "/devices", "#devices-list[data-loaded=true]"),
            ("devices-refused", "/devices?view=refused", "#devices-list[data-loaded=true]"),
            ("devices-discovered", "/devices?view=discovered", "#devices-list[data-loaded=true]"),
            ("sharing", "/sharing", "#request-list[data-loaded=true]"),
            ("grants", "/sharing/grants", "#grant-list[data-loaded=true]"),
            ("users", "/users", ".user-table"),
        ]

    def test_every_page_at_both_sizes(self):
        pages = self.pages()
        for width, height in SIZES:
            self.fresh_console()
            set_viewport(self.driver, width, height)
            self.wait_css("#login-form")
            self.assertEqual(self.driver.execute_script("return [window.innerWidth, window.innerHeight];"), [width, height])
            self.shot("page-login")
            self.login("admin")
            for name, route, ready in pages:
                with self.subTest(page=name, size=f"{width}x{height}"):
                    self.go(route)
                    self.wait_css(ready, timeout=60)
                    self.assertTrue(self.css("#view h1").text.strip(), f"{name} has a heading")
                    self.assertTrue(self.no_horizontal_overflow(), f"{name} scrolls sideways at {width}x{height}")
                    self.assertTrue(self.css("#user-bar .user-name").is_displayed())
                    self.shot(f"page-{name}")
            self.login("auditor", "/audit")
            self.wait_css("#audit-list[data-loaded=true]")
            self.assertTrue(self.no_horizontal_overflow())
            self.shot("page-audit")
            self.login("clerk", "/sharing/new")
            self.wait_css("#share-form")
            self.assertTrue(self.no_horizontal_overflow())
            self.shot("page-share-new")
        set_viewport(self.driver, *self.window)

    def test_no_page_is_left_being_built(self):
        for who in ("admin", "clerk", "auditor"):
            self.login(who)
            self.assertNotIn("建设中", self.css("#nav").text, who)
            self.assertEqual(self.all_css(".coming-soon"), [])

    def test_audit_entry_only_for_auditors(self):
        for who, shown in [("clerk", False), ("admin", False), ("auditor", True)]:
            self.login(who)
            self.assertEqual(bool(self.all_css("#nav a[data-nav=audit]")), shown, who)

    def test_english_switch_and_translations_complete(self):
        self.login("admin", "/directory")
        missing = self.driver.execute_async_script(
            "const done = arguments[0]; import('/assets/js/core/i18n.js').then((m) => done(m.missingKeys()));")
        self.assertEqual(missing, {"en": [], "zh": []})
        self.css("#lang-switch").click()
        self.wait_text("#nav", "Directory")
        self.wait_page()
        self.wait_text("#view h1", "Directory")
        self.wait_text("#directory-form", "Department")
        self.assertEqual(self.driver.execute_script("return document.documentElement.lang;"), "en")
        self.shot("directory-english")
        self.css("#lang-switch").click()
        self.wait_text("#nav", "资源目录")

    def test_field_list_matches_the_openapi_document(self):
        self.login("admin")
        document = API(self.base_url).get("/api/v1/openapi.json")
        expected = set(document["components"]["schemas"]["CameraRecord"]["properties"])
        keys = self.driver.execute_async_script(
            "const done = arguments[0]; import('/assets/js/fields.js').then((m) => done(m.cameraFields.map((f) => f.key)));")
        self.assertEqual(set(keys), expected)
        self.assertEqual(len(keys), len(expected))

    def test_keyboard_through_the_search_form(self):
        self.login("admin", "/directory")
        self.wait_css("#camera-table tbody tr")
        self.css("#directory-form input[name=q]").click()
        order = []
        for _ in range(13):
            element = self.driver.switch_to.active_element
            order.append(element.get_attribute("name") or element.get_attribute("id"))
            element.send_keys(Keys.TAB)
        self.assertEqual(order[:13], ["q", "division", "department", "pointClass", "deviceStatus", "shareAttribute",
                                      "networkStatus", "platformCode", "hasErrors", "bbox", "sort", "limit", "directory-search"])
        self.fill("#directory-form input[name=q]", "陆丰")
        before = self.driver.execute_script("return window.gbshareTimings.length;")
        self.css("#directory-form input[name=q]").send_keys(Keys.ENTER)
        self.wait(lambda d: d.execute_script("return window.gbshareTimings.length;") > before)
        self.assertIn("q=", self.driver.current_url)

    def test_unknown_page_is_a_message(self):
        self.login("admin", "/no/such/page")
        self.assertIn("页面不存在", self.css("#view h1").text)

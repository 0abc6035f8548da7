"""What the browser tests run against, from the environment (the Swift test sets it) or run.py's defaults."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(os.path.dirname(HERE))


# The users every server of the suite gets: name → (username, password, role, department, division, display name).
USERS = {
    "admin": ("admin", "Admin#2026pass", None, None, None, "平台管理员"),
    "clerk": ("health", "Health#2026pass", "department_operator", "19", "441500", "卫健局录入员"),
    "reviewer": ("reviewer", "Review#2026pass", "data_bureau_reviewer", None, None, "政数局审核员"),
    "auditor": ("auditor", "Audit#2026pass", "auditor", None, None, "审计员"),
    "pwuser": ("pwuser", "Change#2026pass", "department_operator", "06", None, "改密测试"),
}


class Settings:
    def __init__(self):
        env = os.environ
        self.binary = env.get("GBSHARE_BIN", os.path.join(PACKAGE, ".build", "debug", "gbshare"))
        self.url = env.get("GBSHARE_URL")  # None: run.py starts a server with the sample directory
        # name → {username, password, role, department, division, displayName}; role null: administrator.
        self.user_specs = json.loads(env.get("GBSHARE_TEST_USERS", "null")) or {
            key: {"username": u, "password": p, "role": r, "department": d, "division": v, "displayName": n}
            for key, (u, p, r, d, v, n) in USERS.items()}
        self.shared_data = env.get("GBSHARE_SHARED_DATA", os.path.join(os.path.dirname(PACKAGE), "shared", "data"))
        self.output = env.get("GBSHARE_TEST_OUTPUT", os.path.join(PACKAGE, "test-output", "console"))
        self.downloads = os.path.join(self.output, "downloads")
        self.chromium = env.get("GBSHARE_CHROMIUM", "/usr/bin/chromium")
        self.chromedriver = env.get("GBSHARE_CHROMEDRIVER", "/usr/bin/chromedriver")
        self.speed_rows = int(env.get("GBSHARE_SPEED_ROWS", "100000"))

    @property
    def users(self):
        return {key: (spec["username"], spec["password"]) for key, spec in self.user_specs.items()}

    def add_users(self, server):
        for spec in self.user_specs.values():
            server.add_user(spec["username"], spec["password"], role=spec.get("role"), department=spec.get("department"),
                            division=spec.get("division"), display_name=spec.get("displayName"))

    def start_server(self, name, config=None, extra_env=None):
        """A `gbshare serve` of the test class's own, with the test users and the sample directory;
        stopped again if it fails to come up."""
        from gbshare_server import GBShareServer
        server = GBShareServer(self.binary, name, extra_env=extra_env, config=config)
        try:
            self.add_users(server)
            server.import_directory(self.sample_csv)
            server.start()
        except Exception:
            server.stop()
            raise
        return server

    @property
    def sample_csv(self):
        return os.path.join(self.shared_data, "directory-sample.csv")

    @property
    def sample_xlsx(self):
        return os.path.join(self.shared_data, "directory-sample.xlsx")

    @property
    def planted_findings(self):
        return os.path.join(self.shared_data, "directory-sample.findings.csv")


settings = Settings()


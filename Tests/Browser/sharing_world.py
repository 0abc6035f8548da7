"""Users and cameras for the sharing, audit and live tests: a camera owner's department administrator
(made through the API by the administrator), a requester (the suite's health clerk, 19@441500) and the
data bureau reviewer; shareable conditional cameras of the police (06), whose chain is owner → data bureau."""
import time

from api_client import API
from settings import settings

OWNER_PASSWORD = "Owner#2026pass"


def unique(prefix):
    return f"{prefix}{int(time.time() * 1000) % 100000000}"


def make_user(base_url, role, department=None, division=None, prefix="u"):
    """A new user through POST /api/v1/users; returns (username, password)."""
    admin = API(base_url, *settings.users["admin"])
    username = unique(prefix)
    body = {"username": username, "displayName": f"{prefix} 测试", "password": OWNER_PASSWORD, "role": role}
    if department:
        body["departmentCode"] = department
    if division:
        body["divisionScope"] = division
    admin.post("/api/v1/users", body)
    return username, OWNER_PASSWORD


def police_cameras(base_url, count=2):
    """Shareable conditional (共享属性 0) cameras of the police in use, with codes."""
    admin = API(base_url, *settings.users["admin"])
    page = admin.get("/api/v1/cameras", department="06", shareAttribute="0", hasErrors="false", deviceStatus="1", limit=50)
    codes = [c["code"] for c in page["items"] if c.get("code") and c.get("shareable", True)]
    assert len(codes) >= count, f"the sample has {len(codes)} shareable conditional police cameras"
    return codes[:count]


def request_share(base_url, who, cameras, permissions="1,2", purpose="浏览器测试", days=7):
    api = API(base_url, *settings.users[who]) if isinstance(who, str) else API(base_url, *who)
    return api.post("/api/v1/share-requests", {"cameras": cameras, "permissions": permissions, "purpose": purpose, "days": days})


def review(base_url, credentials, request_id, decision="approve", **extra):
    api = API(base_url, *credentials)
    return api.post(f"/api/v1/share-requests/{request_id}/reviews", {"decision": decision, **extra})

"""The JSON API from Python, to compare what the console shows with what the API says."""
import json
import urllib.parse
import urllib.request


class API:
    def __init__(self, base_url, username=None, password=None):
        self.base = base_url
        self.token = None
        if username:
            self.token = self.post("/api/v1/auth/login", {"username": username, "password": password})["token"]

    def request(self, method, path, body=None, query=None):
        url = self.base + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v not in (None, "")})
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read().decode()
            return json.loads(text) if text else None

    def get(self, path, **query):
        return self.request("GET", path, query=query)

    def post(self, path, body=None):
        return self.request("POST", path, body=body)

    def all_cameras(self, **query):
        items, cursor = [], None
        while True:
            page = self.get("/api/v1/cameras", limit=1000, cursor=cursor, **query)
            items += page["items"]
            cursor = page.get("nextCursor")
            if not cursor:
                return items


def kpis(bucket):
    """The dashboard's KPIs, computed as Directory's StatisticsBucket does."""
    shares = bucket.get("shareAttributes", {})
    shared = shares.get("0", 0) + shares.get("1", 0)
    connected = bucket["connected"]
    return {
        "filed": bucket["filed"],
        "connected": connected,
        "onlineRate": bucket["online"] / connected if connected else 0,
        "shareRate": shared / connected if connected else 0,
        "withErrors": bucket["withErrors"],
    }


def has_coordinates(record):
    """The map page's rule for a camera it can place."""
    try:
        lat, lon = float(record["latitude"]), float(record["longitude"])
    except (ValueError, TypeError, KeyError):
        return False
    if not record.get("latitude") or not record.get("longitude"):
        return False
    if lat != lat or lon != lon or abs(lat) > 90 or abs(lon) > 180 or (lat == 0 and lon == 0):
        return False
    return True

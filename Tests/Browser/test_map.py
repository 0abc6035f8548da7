"""The map: one marker per camera with coordinates, clustered, coloured by network status."""
from api_client import API, has_coordinates
from browser import ConsoleTestCase
from settings import settings


class MapTests(ConsoleTestCase):
    def test_expected_number_of_markers_clustered_with_division_labels(self):
        cameras = API(self.base_url, *settings.users["admin"]).all_cameras()
        expected = sum(1 for camera in cameras if has_coordinates(camera["record"]))
        self.login("admin", "/map")
        self.wait(lambda d: self.attr("#camera-map", "data-state") == "ready", timeout=60)
        self.assertEqual(self.css("#camera-map").get_attribute("data-markers"), str(expected))
        self.assertEqual(self.css("#camera-map").get_attribute("data-skipped"), str(len(cameras) - expected))
        self.wait_css("#camera-map .marker-cluster")
        clustered = sum(int(el.text) for el in self.all_css("#camera-map .marker-cluster span") if el.text.isdigit())
        self.assertGreater(clustered, 0)
        self.wait_css("#camera-map .division-label")
        self.assertIn("plain-map", self.css("#camera-map").get_attribute("class"))
        self.shot("map")

    def test_filter_by_network_status(self):
        offline = [c for c in API(self.base_url, *settings.users["admin"]).all_cameras(networkStatus="2") if has_coordinates(c["record"])]
        self.login("admin", "/map")
        self.wait(lambda d: self.attr("#camera-map", "data-state") == "ready", timeout=60)
        self.select("#map-form select[name=networkStatus]", "2")
        self.css("#map-apply").click()
        self.wait(lambda d: self.attr("#camera-map", "data-markers") == str(len(offline)), timeout=60)
        self.shot("map-offline")

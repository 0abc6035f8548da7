"""The map: one marker per camera with coordinates, clustered, coloured by network status."""
import time

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
        # Clusters take the colour of their cameras' state: only offline cameras here.
        self.wait_css("#camera-map .marker-cluster")
        kinds = self.driver.execute_script(
            "return [...document.querySelectorAll('#camera-map .marker-cluster')].map((el) => [...el.classList].find((c) => c.startsWith('cluster-')));")
        self.assertTrue(kinds)
        self.assertEqual(set(kinds), {"cluster-offline"})
        self.shot("map-offline")

    def test_leaving_maps_while_they_load_leaves_no_errors(self):
        self.login("admin")
        for pause in [0.05, 0.2, 0.5, 1.0]:
            for route in ["/map", "/directory/duplicates", "/map", "/dashboard"]:
                self.driver.execute_script("location.hash = arguments[0];", route)
                time.sleep(pause)
        self.wait_page()
        time.sleep(1)

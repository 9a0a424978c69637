#!/usr/bin/env python3
"""Tests of check_gold.py on a tiny good gold line and broken copies of it.

    python3 eval/events/test_check_gold.py
"""
import copy
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_gold  # noqa: E402

TEXT = "Rally in Springfield. About 40 protesters marched on Friday in Springfield. Police arrested two."
TEXTS = {"doc-1": TEXT}


def good():
    q = "About 40 protesters marched on Friday in Springfield"
    s = TEXT.index(q)
    sent = [TEXT.index("About"), TEXT.index("Police") - 1]
    return {"doc": "doc-1", "gid": "doc-1#1", "type": "protests", "alt_types": ["riots"],
            "sub_type": "Peaceful protest",
            "places": [{"name": "Springfield", "lat": 42.1, "lon": -72.59, "level": "city", "cc": "US"}],
            "date": None, "date_partial": "03-20", "quote": q, "span": [s, s + len(q)],
            "also_spans": [[0, 5]], "sent_spans": [sent, [0, 21]], "optional": False, "notes": ""}


class CheckGold(unittest.TestCase):
    def errors(self, g, texts=TEXTS):
        return check_gold.check([g], texts)

    def broken(self, **changes):
        g = good()
        g.update(changes)
        return self.errors(g)

    def test_good_line_passes(self):
        self.assertEqual(self.errors(good()), [])

    def test_full_dates(self):
        for d in ("2009", "2009-03", "2009-03-20", "2008-02-29"):
            self.assertEqual(self.broken(date=d, date_partial=None), [], d)

    def test_quote_must_equal_text_at_span(self):
        g = good()
        g["span"] = [g["span"][0] + 1, g["span"][1] + 1]
        self.assertTrue(any("quote differs" in e for e in self.errors(g)))

    def test_span_outside_text(self):
        self.assertTrue(self.broken(span=[90, 200]))
        self.assertTrue(self.broken(span=[10, 5]))

    def test_span_must_lie_in_a_sentence(self):
        self.assertTrue(any("none of the sent_spans" in e for e in self.broken(sent_spans=[[0, 21]])))
        self.assertTrue(any("none of the sent_spans" in e for e in self.broken(also_spans=[[80, 95]])))

    def test_bad_dates(self):
        self.assertTrue(self.broken(date="2009-02-30", date_partial=None))
        self.assertTrue(self.broken(date="20-03-2009", date_partial=None))
        self.assertTrue(self.broken(date_partial="13-01"))
        self.assertTrue(self.broken(date_partial="2009-03-20"))
        self.assertTrue(any("both" in e for e in self.broken(date="2009-03-20")))

    def test_bad_level_type_and_fields(self):
        g = good()
        g["places"][0]["level"] = "district"
        self.assertTrue(self.errors(g))
        g = good()
        g["places"][0]["cc"] = "usa"
        self.assertTrue(self.errors(g))
        g = good()
        del g["places"][0]["lat"]
        self.assertTrue(self.errors(g))
        self.assertTrue(self.broken(type="protest"))
        self.assertTrue(self.broken(sub_type="Armed clash"))
        self.assertTrue(self.broken(alt_types=["protests"]))
        self.assertTrue(self.broken(optional="no"))
        self.assertTrue(self.broken(places=[]))
        g = good()
        del g["sent_spans"]
        self.assertTrue(self.errors(g))
        self.assertTrue(self.broken(extra=1))

    def test_gid_form_and_uniqueness(self):
        self.assertTrue(self.broken(gid="doc-2#1"))
        g1, g2 = good(), good()
        self.assertTrue(any("used 2 times" in e for e in check_gold.check([g1, g2], TEXTS)))

    def test_unknown_document(self):
        self.assertTrue(any("no text" in e for e in self.errors(good(), texts={})))

    def test_document_lists_must_not_overlap(self):
        with tempfile.TemporaryDirectory() as d:
            dev, held = os.path.join(d, "dev.txt"), os.path.join(d, "held.txt")
            with open(dev, "w") as f:
                f.write("doc-1\ndoc-2\n")
            with open(held, "w") as f:
                f.write("doc-3\n")
            self.assertEqual(check_gold.overlap([dev, held]), [])
            with open(held, "a") as f:
                f.write("doc-2\n")
            self.assertEqual(len(check_gold.overlap([dev, held])), 1)

    def test_main_on_files(self):
        with tempfile.TemporaryDirectory() as d:
            texts = os.path.join(d, "texts.jsonl")
            with open(texts, "w") as f:
                f.write(json.dumps({"id": "doc-1", "text": TEXT}) + "\n")
            ok, bad = os.path.join(d, "ok.jsonl"), os.path.join(d, "bad.jsonl")
            docs = os.path.join(d, "docs.txt")
            with open(ok, "w") as f:
                f.write(json.dumps(good()) + "\n")
            g = copy.deepcopy(good())
            g["quote"] = "something else"
            with open(bad, "w") as f:
                f.write(json.dumps(g) + "\n")
            with open(docs, "w") as f:
                f.write("doc-1\n")
            args = ["--lgl", os.path.join(d, "none.jsonl"), "--texts", texts, "--docs", docs]
            with open(os.devnull, "w") as null:
                out, err = sys.stdout, sys.stderr
                sys.stdout = sys.stderr = null
                try:
                    self.assertEqual(check_gold.main([ok] + args), 0)
                    self.assertEqual(check_gold.main([bad] + args), 1)
                    with open(docs, "w") as f:
                        f.write("doc-2\n")
                    self.assertEqual(check_gold.main([ok] + args), 1)
                finally:
                    sys.stdout, sys.stderr = out, err


if __name__ == "__main__":
    unittest.main()

"""The Python binding against the command line: the same itemsets and rules
on the shared datasets, the same recommendations, the same results from
every kind of input, mlxtend's columns, and library errors as exceptions.

Environment (set by ctest): FIMBIT_LIBRARY (libfimbit.so), FIMBIT_BINARY (the
CLI), FIMBIT_SOURCE_DIR, FIMBIT_DATASETS."""
import io
import json
import math
import os
import subprocess
import tempfile
import unittest

import pandas as pd

import fimbit

BINARY = os.environ["FIMBIT_BINARY"]
SOURCE = os.environ.get("FIMBIT_SOURCE_DIR",
                        os.path.join(os.path.dirname(__file__), "..", ".."))
DATASETS = os.environ.get("FIMBIT_DATASETS", os.path.join(SOURCE, "..", "shared", "datasets"))
GROCERIES = os.path.join(SOURCE, "datasets", "groceries.csv")


def cli_jsonl(*arguments):
    output = subprocess.run([BINARY, *arguments], check=True, capture_output=True, text=True)
    return [json.loads(line) for line in output.stdout.splitlines()]


def shared(name):
    path = os.path.join(DATASETS, name)
    if not os.path.exists(path):
        raise unittest.SkipTest(f"dataset {name} not found at {path}")
    return path


def cli_itemsets(path, *options):
    return {frozenset(record["items"]): record["count"]
            for record in cli_jsonl("itemsets", "-f", "jsonl", *options, path)}


def frame_itemsets(frame, baskets):
    return {items: round(support * baskets) for support, items in
            zip(frame["support"], frame["itemsets"])}


def cli_rules(path, *options):
    return {(frozenset(r["antecedent"]), frozenset(r["consequent"])):
            (r["support"], r["confidence"], r["lift"], r["leverage"], r["conviction"])
            for r in cli_jsonl("rules", "-f", "jsonl", *options, path)}


def baskets_of(path):
    return cli_jsonl("info", "-f", "jsonl", path)[0]["baskets"]


class MatchesTheCommandLine(unittest.TestCase):
    def check_itemsets(self, path, support, target="all"):
        expected = cli_itemsets(path, "-s", str(support), "-t", target)
        frame = fimbit.itemsets(path, min_support=support, target=target)
        self.assertEqual(list(frame.columns), ["support", "itemsets"])
        self.assertEqual(frame_itemsets(frame, baskets_of(path)), expected)
        self.assertGreater(len(expected), 0)

    def check_rules(self, path, support, confidence, max_consequent=1):
        expected = cli_rules(path, "-s", str(support), "-c", str(confidence),
                             "--max-consequent", str(max_consequent))
        frame = fimbit.rules(path, min_support=support, min_confidence=confidence,
                             max_consequent=max_consequent)
        self.assertEqual(list(frame.columns), [
            "antecedents", "consequents", "antecedent support", "consequent support",
            "support", "confidence", "lift", "leverage", "conviction"])
        self.assertEqual(len(frame), len(expected))
        self.assertGreater(len(frame), 0)
        for row in frame.itertuples(index=False):
            cli = expected[(row[0], row[1])]
            # The CLI prints 6 significant digits; conviction null = inf.
            for ours, theirs in zip((row[4], row[5], row[6], row[7], row[8]), cli):
                if theirs is None:
                    self.assertTrue(math.isinf(ours))
                else:
                    self.assertAlmostEqual(ours, theirs, delta=abs(theirs) * 1e-5 + 1e-9)
            # antecedent support x confidence = support; lift = confidence / consequent support.
            self.assertAlmostEqual(row[2] * row[5], row[4], delta=1e-12)
            self.assertAlmostEqual(row[5] / row[3], row[6], delta=1e-9)

    def test_groceries(self):
        self.check_itemsets(GROCERIES, 0.01)
        self.check_rules(GROCERIES, 0.005, 0.5)

    def test_mushroom(self):
        path = shared("mushroom.dat")
        for target in ("all", "closed", "maximal"):
            with self.subTest(target=target):
                self.check_itemsets(path, 0.3, target)
        self.check_rules(path, 0.4, 0.9, max_consequent=0)

    def test_retail(self):
        path = shared("retail.dat")
        self.check_itemsets(path, 0.005)
        self.check_rules(path, 0.005, 0.3)

    def test_t10i4d100k(self):
        self.check_itemsets(shared("T10I4D100K.dat"), 0.005)

    def test_counts_and_limits(self):
        expected = cli_itemsets(GROCERIES, "-s", "200", "-n", "2", "-m", "2")
        frame = fimbit.itemsets(GROCERIES, min_support=200, max_size=2, min_size=2,
                                algorithm="eclat", threads=1)
        self.assertEqual(frame_itemsets(frame, baskets_of(GROCERIES)), expected)


class EveryInputAgrees(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(GROCERIES) as lines:
            # The reader trims blanks around names ("cream cheese " is in the file).
            cls.baskets = [[item.strip() for item in line.rstrip("\n").split(",")]
                           for line in lines]
        cls.expected = fimbit.itemsets(GROCERIES, min_support=0.02)
        cls.expected_set = set(zip(cls.expected["itemsets"], cls.expected["support"]))

    def assert_same(self, frame):
        self.assertEqual(set(zip(frame["itemsets"], frame["support"])), self.expected_set)

    def test_list_of_baskets(self):
        self.assert_same(fimbit.itemsets(self.baskets, min_support=0.02))

    def test_one_hot_frame(self):
        items = sorted({item for basket in self.baskets for item in basket})
        rows = [[item in set(basket) for item in items] for basket in self.baskets]
        self.assert_same(fimbit.itemsets(pd.DataFrame(rows, columns=items), min_support=0.02))
        as_ints = pd.DataFrame(rows, columns=items).astype(int)
        self.assert_same(fimbit.itemsets(as_ints, min_support=0.02))

    def test_long_frame(self):
        long = pd.DataFrame([(f"order{b}", item) for b, basket in enumerate(self.baskets)
                             for item in reversed(basket)], columns=["order", "product"])
        long = long.sample(frac=1, random_state=7)  # rows of a basket need not be adjacent
        self.assert_same(fimbit.itemsets(long, min_support=0.02, basket_column="order",
                                         item_column="product"))

    def test_long_csv_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as out:
            out.write("order,product\n")
            for b, basket in enumerate(self.baskets):
                for item in basket:
                    out.write(f'{b},"{item}"\n')
        try:
            self.assert_same(fimbit.itemsets(out.name, min_support=0.02, basket_column="order",
                                             item_column="product"))
        finally:
            os.unlink(out.name)

    def test_items_of_any_hashable_kind(self):
        baskets = [[1, ("a", 2), "x"], [1, ("a", 2)], [1, "x"], [("a", 2)]]
        frame = fimbit.itemsets(baskets, min_support=2)
        self.assertEqual(dict(zip(frame["itemsets"], frame["support"])), {
            frozenset([1]): 0.75, frozenset([("a", 2)]): 0.75, frozenset(["x"]): 0.5,
            frozenset([1, ("a", 2)]): 0.5, frozenset([1, "x"]): 0.5})
        strong = fimbit.rules(baskets, min_support=2, min_confidence=1)
        self.assertEqual(set(zip(strong["antecedents"], strong["consequents"])),
                         {(frozenset(["x"]), frozenset([1]))})


class Recommendations(unittest.TestCase):
    def test_same_as_the_cli(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "rules.jsonl")
            subprocess.run([BINARY, "rules", "-s", "0.5%", "-c", "0.2", "-f", "jsonl", "-o", path,
                            GROCERIES], check=True)
            basket = ["whole milk", "rolls/buns"]
            for by in ("confidence", "lift"):
                cli = cli_jsonl("recommend", "--rules", path, "--basket", ",".join(basket),
                                "-k", "5", "--by", by)[0]["recommendations"]
                from_file = fimbit.recommend(path, basket, k=5, by=by)
                strong = fimbit.rules(GROCERIES, min_support=0.005, min_confidence=0.2)
                from_frame = fimbit.Recommender(strong).recommend(basket, k=5, by=by)
                for frame in (from_file, from_frame):
                    self.assertEqual(list(frame.columns), ["item", "confidence", "lift"])
                    self.assertEqual(list(frame["item"]), [r["item"] for r in cli])
                    for ours, theirs in zip(frame["confidence"], cli):
                        self.assertAlmostEqual(ours, theirs["confidence"], delta=1e-6)

    def test_items_of_any_kind_and_the_basket_is_skipped(self):
        strong = fimbit.rules([[1, 2, 3], [1, 2], [1, 3], [2, (4,)]], min_support=1,
                              min_confidence=0.1)
        recommender = fimbit.Recommender(strong)
        self.assertEqual(len(recommender), len(strong))
        # 3 by 1 => 3 (2/3), (4,) by 2 => (4,) (1/3); never 1 or 2.
        frame = recommender.recommend([1, 2], k=10)
        self.assertEqual(list(frame["item"]), [3, (4,)])
        self.assertAlmostEqual(frame["confidence"][0], 2 / 3)
        self.assertEqual(list(recommender.recommend([(4,)], k=10)["item"]), [2])
        self.assertEqual(len(recommender.recommend(["unknown"], k=3)), 0)
        # A string is no basket (its letters would be): refused, as by itemsets().
        with self.assertRaisesRegex(TypeError, "not a string"):
            recommender.recommend("whole milk")


class AnalystOptions(unittest.TestCase):
    """The keyword arguments of the rule analysis give what the command line
    gives with the same options, for a file and for baskets in memory."""

    def cli(self, *options):
        return {(frozenset(r["antecedent"]), frozenset(r["consequent"])): r
                for r in cli_jsonl("rules", "-f", "jsonl", "-s", "0.005", "-c", "0.2",
                                   *options, GROCERIES)}

    def frame(self, frame):
        return {(a, c): row for a, c, row in
                zip(frame["antecedents"], frame["consequents"], frame.to_dict("records"))}

    def test_constraints_and_measures(self):
        expected = self.cli("--consequent-items", "whole milk", "--exclude-items", "yogurt",
                            "--measures", "all", "--non-redundant")
        frame = fimbit.rules(GROCERIES, min_support=0.005, min_confidence=0.2,
                             consequent_items=["whole milk"], exclude_items={"yogurt"},
                             measures="all", non_redundant=True)
        got = self.frame(frame)
        self.assertGreater(len(expected), 10)
        self.assertEqual(set(got), set(expected))
        self.assertEqual(list(frame.columns[-7:]),
                         ["jaccard", "kulczynski", "certainty", "zhangs_metric", "cosine",
                          "improvement", "p_value"])
        for key, record in expected.items():
            for name in ("jaccard", "cosine", "improvement", "p_value"):
                self.assertTrue(math.isclose(got[key][name], record[name], rel_tol=1e-5,
                                             abs_tol=1e-300), (key, name))
            self.assertGreater(got[key]["improvement"], 0)

    def test_significance_and_items_in_memory(self):
        with open(GROCERIES) as lines:
            baskets = [line.rstrip("\n").split(",") for line in lines]
        expected = self.cli("--antecedent-items", "butter,curd,whole milk",
                            "--max-p", "1e-6", "--p-adjust", "bonferroni",
                            "--measures", "p_value")
        with self.assertWarns(UserWarning):
            frame = fimbit.rules(baskets, min_support=0.005, min_confidence=0.2,
                                 antecedent_items=["butter", "curd", "whole milk", "unicorn"],
                                 max_p=1e-6, p_adjust="bonferroni", measures=["p_value"])
        got = self.frame(frame)
        self.assertGreater(len(expected), 3)
        self.assertEqual(set(got), set(expected))
        for key, record in expected.items():
            self.assertTrue(math.isclose(got[key]["p_value"], record["p_value"], rel_tol=1e-5))

    def test_bad_values(self):
        with self.assertRaises(ValueError):
            fimbit.rules(GROCERIES, measures=["lift"])
        with self.assertRaises(ValueError):
            fimbit.rules(GROCERIES, p_adjust="fdr")
        # A value the library checks is a ValueError too, as the README promises
        # of bad arguments, and still a FimbitError with status EINVAL.
        # Sizes are unsigned in the library: a negative one is refused, not wrapped
        # around (max_consequent=-1 was no limit, min_size=-1 no itemset at all).
        for options in ({"max_consequent": -1}, {"min_size": -1}, {"max_size": -1}):
            with self.assertRaisesRegex(ValueError, next(iter(options))):
                fimbit.rules(GROCERIES, **options)
        with self.assertRaises(TypeError):
            fimbit.itemsets(GROCERIES, max_size=2.5)
        # min_size 0 counts as 1, as in the library.
        self.assertEqual(len(fimbit.itemsets(GROCERIES, min_size=0)),
                         len(fimbit.itemsets(GROCERIES, min_size=1)))
        for options in ({"max_p": 2}, {"min_confidence": 2}, {"min_lift": -1}):
            with self.assertRaises(ValueError) as caught:
                fimbit.rules(GROCERIES, **options)
            self.assertIsInstance(caught.exception, fimbit.FimbitError)
            self.assertEqual(caught.exception.status, "EINVAL")


# Four customers (hand-computed): latest day 2020-01-10, so as-of 2020-01-11;
# ann's order 2 has two lines (one order), her return reduces her sum to 12.5,
# which cy's single order ties; dan has only a return; a row without a customer
# is skipped. With n = 4 and 5 bins, a score is 1 + floor(5 b / 4).
ORDERS = ("order,customer,when,amount\n"
          "1,ann,2020-01-01,10\n"
          "2,ann,2020-01-05,5\n"
          "2,ann,2020-01-05,0\n"
          "3,bo,2020-01-06T10:00,100\n"
          "4,cy,2020-01-10,12.5\n"
          "5,,2020-01-11,7\n"
          "6,ann,2020-01-10 23:00,-2.5\n"
          "7,dan,2020-01-02,-3\n")


class Rfm(unittest.TestCase):
    def setUp(self):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as out:
            out.write(ORDERS)
        self.path = out.name

    def tearDown(self):
        os.unlink(self.path)

    def test_hand_computed(self):
        frame = fimbit.rfm(self.path, customer="customer", order="order", date="when",
                           amount="amount")
        expected = pd.DataFrame(
            [("ann", 1, 3, 12.5, 3, 4, 2, "loyal_customers"),
             ("bo", 5, 1, 100.0, 2, 1, 4, "hibernating"),
             ("cy", 1, 1, 12.5, 3, 1, 2, "about_to_sleep"),
             ("dan", 9, 1, -3.0, 1, 1, 1, "hibernating")],
            columns=["customer", "recency", "frequency", "monetary", "r", "f", "m", "segment"])
        pd.testing.assert_frame_equal(frame, expected)

    def test_as_of_bins_and_indexes(self):
        # Columns by 1-based index; as-of 2020-01-20 adds 9 days to every
        # recency; 2 bins: scores 1 + floor(2 b / 4), no segment names.
        frame = fimbit.rfm([self.path], customer=2, order=1, date=3, amount=4,
                           as_of="2020-01-20", bins=2)
        self.assertEqual(list(frame["recency"]), [10, 14, 10, 18])
        self.assertEqual(list(frame["r"]), [2, 1, 2, 1])
        self.assertEqual(list(frame["f"]), [2, 1, 1, 1])
        self.assertEqual(list(frame["m"]), [1, 2, 1, 1])
        self.assertEqual(list(frame["segment"]), ["", "", "", ""])

    def test_matches_the_command_line(self):
        orders = os.path.join(SOURCE, "datasets", "orders.csv")
        columns = ["--customer", "CustomerID", "--order", "InvoiceNo", "--date", "InvoiceDate",
                   "--amount", "Quantity*UnitPrice"]
        output = subprocess.run([BINARY, "rfm", *columns, "-f", "csv", "-q", orders],
                                check=True, capture_output=True, text=True).stdout
        expected = pd.read_csv(io.StringIO(output), dtype={"customer": str},
                               keep_default_na=False)
        frame = fimbit.rfm(orders, customer="CustomerID", order="InvoiceNo",
                           date="InvoiceDate", amount="Quantity*UnitPrice")
        self.assertGreater(len(frame), 20)
        pd.testing.assert_frame_equal(frame, expected)

    def test_threads(self):
        one = fimbit.rfm(self.path, customer="customer", order="order", date="when",
                         amount="amount", threads=1)
        three = fimbit.rfm(self.path, customer="customer", order="order", date="when",
                           amount="amount", threads=3)
        pd.testing.assert_frame_equal(one, three)
        with self.assertRaises(fimbit.FimbitError) as caught:
            fimbit.rfm(self.path, customer="customer", order="order", date="when",
                       amount="amount", threads=-1)
        self.assertEqual(caught.exception.status, "EINVAL")

    def test_errors(self):
        with open(self.path, "a") as out:
            out.write("8,eve,2020-13-01,1\n")
        with self.assertRaises(fimbit.FimbitError) as caught:
            fimbit.rfm(self.path, customer="customer", order="order", date="when",
                       amount="amount")
        self.assertEqual(caught.exception.status, "EPARSE")
        self.assertIn(f"{self.path}:10:7:", str(caught.exception))
        with self.assertRaises(fimbit.FimbitError) as caught:
            fimbit.rfm(self.path, customer="customer", order="order", date="when",
                       amount="amount*")
        self.assertEqual(caught.exception.status, "EINVAL")


class Version(unittest.TestCase):
    def test_one_version_everywhere(self):
        """The binding, its packaging and the library it loads are one release
        (fimbit.h and CMake's project() are checked against each other when
        CMake configures)."""
        self.assertEqual(fimbit.__version__, fimbit.version())
        python = os.path.join(SOURCE, "python")
        with open(os.path.join(python, "pyproject.toml")) as toml:
            self.assertIn(f'version = "{fimbit.version()}"\n', toml.read())
        with open(os.path.join(python, "build_backend", "fimbit_build.py")) as backend:
            self.assertIn(f'VERSION = "{fimbit.version()}"\n', backend.read())


class ErrorsRaise(unittest.TestCase):
    def test_missing_file(self):
        with self.assertRaises(fimbit.FimbitError) as caught:
            fimbit.itemsets("/nonexistent/baskets.dat")
        self.assertEqual(caught.exception.status, "EIO")
        self.assertIn("/nonexistent/baskets.dat", str(caught.exception))

    def test_malformed_input_names_the_place(self):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as out:
            out.write('order,product\n1,"milk\n')
        try:
            with self.assertRaises(fimbit.FimbitError) as caught:
                fimbit.itemsets(out.name, basket_column="order", item_column="product")
            self.assertEqual(caught.exception.status, "EPARSE")
            self.assertIn(f"{out.name}:2:", str(caught.exception))
            with self.assertRaises(fimbit.FimbitError) as caught:
                fimbit.itemsets(out.name, basket_column="nope", item_column="product")
            self.assertIn("no column named 'nope'", str(caught.exception))
        finally:
            os.unlink(out.name)

    def test_bad_thresholds(self):
        with self.assertRaises(fimbit.FimbitError) as caught:
            fimbit.itemsets([["a"]], min_support=1.5)
        self.assertEqual(caught.exception.status, "EINVAL")
        with self.assertRaises(fimbit.FimbitError):
            fimbit.rules([["a", "b"]], min_support=1, min_confidence=2.0)
        with self.assertRaises(ValueError):
            fimbit.itemsets([["a"]], target="bogus")
        with self.assertRaises(ValueError):
            fimbit.itemsets([["a"]], min_support=0)
        with self.assertRaises(TypeError):
            fimbit.itemsets(["milk,bread"])

    def test_bad_rules_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as out:
            out.write('{"antecedent":["a"],"consequent":["b"],"confidence":0.5}\n')
        try:
            with self.assertRaises(fimbit.FimbitError) as caught:
                fimbit.Recommender(out.name)
            self.assertEqual(caught.exception.status, "EPARSE")
            self.assertIn(f'{out.name}:1:1: a rule without "lift"', str(caught.exception))
        finally:
            os.unlink(out.name)


if __name__ == "__main__":
    unittest.main()

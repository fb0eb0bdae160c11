"""fimbit.frequent_patterns against mlxtend 0.25's results, stored as test
data (data/mlxtend_expected.json, made once by make_mlxtend_expected.py):
the same rows, columns, dtypes, index and item types; rules from fimbit's own
frames (exact counts) and from foreign frames alike; sparse input; the
errors and NotImplementedError mlxtend users meet."""
import json
import math
import unittest

import numpy as np
import pandas as pd

import fimbit.frequent_patterns as fp
import mlxtend_cases as cases

with open(cases.EXPECTED) as expected_file:
    EXPECTED = json.load(expected_file)
CALLS = {name: (function, source, arguments) for name, function, source, arguments
         in cases.ITEMSETS}
_inputs = {}


def load(source):
    if source not in _inputs:
        _inputs[source] = cases.load(source)
    if _inputs[source] is None:
        raise unittest.SkipTest(f"input {source} not found")
    return _inputs[source]


def mine(name):
    """fimbit's frame for itemsets case `name`, and its input."""
    function, source, arguments = CALLS[name]
    data = load(source)
    return getattr(fp, function)(data, **arguments), data


def foreign_frame(name):
    """mlxtend's frame of itemsets case `name`, read back from the test data:
    a frame fimbit did not make."""
    record = EXPECTED["itemsets"][name]
    convert = np.int64 if record["item_type"] == "int64" else (lambda item: item)
    return pd.DataFrame({"support": [row[0] for row in record["rows"]],
                         "itemsets": [frozenset(map(convert, row[1]))
                                      for row in record["rows"]]})


def item_type(frame, column):
    return type(next(iter(frame[column].iloc[0]))).__name__ if len(frame) else None


class FrameShape:
    def assert_shape(self, frame, record, set_column):
        self.assertEqual(list(frame.columns), record["columns"])
        self.assertEqual([str(d) for d in frame.dtypes], record["dtypes"])
        self.assertEqual(type(frame.index).__name__, record["index"])
        self.assertEqual(str(frame.index.dtype), record["index_dtype"])
        self.assertEqual(item_type(frame, set_column), record["item_type"])
        self.assertEqual(len(frame), len(record["rows"]))


class Itemsets(unittest.TestCase, FrameShape):
    def test_every_case(self):
        for name in EXPECTED["itemsets"]:
            with self.subTest(case=name):
                record = EXPECTED["itemsets"][name]
                frame, _ = mine(name)
                self.assert_shape(frame, record, "itemsets")
                ours = [(frozenset(itemset), support)
                        for support, itemset in zip(frame["support"], frame["itemsets"])]
                theirs = [(frozenset(row[1]), row[0]) for row in record["rows"]]
                # Supports are count / rows in both: equal to the last bit.
                self.assertEqual(set(ours), set(theirs))
                if CALLS[name][0] == "apriori":
                    self.assertEqual(ours, theirs)  # apriori's order too

    def test_sparse_frames_give_the_dense_results(self):
        dense = load("groceries")
        expected, _ = mine("groceries")
        for sparse in (dense.astype(pd.SparseDtype(bool, False)),
                       dense.astype(int).astype(pd.SparseDtype(int, 0))):
            got = fp.fpgrowth(sparse, min_support=0.01, use_colnames=True)
            pd.testing.assert_frame_equal(got, expected)
        # Stored zeros are not items; cells at a fill value of 1 (or True) are.
        frame = pd.DataFrame({
            "a": pd.arrays.SparseArray([1, 0, 1, 0], fill_value=1),
            "b": pd.arrays.SparseArray([True, True, True, False], fill_value=True)})
        self.assertEqual(list(frame["a"].array.sp_values), [0, 0])
        got = fp.fpgrowth(frame, min_support=0.5, use_colnames=True)
        self.assertEqual(dict(zip(got["itemsets"], got["support"])),
                         {frozenset("a"): 0.5, frozenset("b"): 0.75, frozenset("ab"): 0.5})


class Rules(unittest.TestCase, FrameShape):
    def assert_rules(self, rules, name, arguments):
        record = EXPECTED["rules"][name]
        self.assert_shape(rules, record, "antecedents") if len(rules) == len(record["rows"]) \
            else self.assertEqual(list(rules.columns), record["columns"])
        metrics = record["columns"][2:]
        theirs = {(frozenset(row[0]), frozenset(row[1])): row[2:] for row in record["rows"]}
        ours = {(a, c): list(values) for a, c, *values in rules.itertuples(index=False)}
        self.assertEqual(len(ours), len(rules), "a rule repeats")
        # fimbit keeps the rules whose measure is exactly the threshold by the
        # counts, which mlxtend's rounding drops; it drops none of mlxtend's.
        self.assertLessEqual(set(theirs), set(ours))
        metric = "support" if arguments.get("support_only") else \
            arguments.get("metric", "confidence")
        for key in set(ours) - set(theirs):
            self.assertEqual(ours[key][metrics.index(metric)],
                             arguments.get("min_threshold", 0.8), key)
        for key, expected in theirs.items():
            for column, mine_value, their_value in zip(metrics, ours[key], expected):
                if math.isnan(their_value):
                    self.assertTrue(math.isnan(mine_value), (key, column))
                elif math.isinf(their_value):
                    self.assertEqual(mine_value, their_value, (key, column))
                else:
                    self.assertAlmostEqual(mine_value, their_value,
                                           delta=1e-12 * max(1.0, abs(their_value)),
                                           msg=(key, column))
        return ours, theirs

    def test_every_case_from_fimbit_frames(self):
        for name, itemsets, arguments in cases.RULES:
            if name not in EXPECTED["rules"]:
                continue
            with self.subTest(case=name):
                frame, data = mine(itemsets)
                arguments = cases.rule_arguments(arguments, len(data))
                self.assert_rules(fp.association_rules(frame, **arguments), name, arguments)

    def test_every_case_from_foreign_frames(self):
        for name, itemsets, arguments in cases.RULES:
            if name not in EXPECTED["rules"]:
                continue
            with self.subTest(case=name):
                arguments = cases.rule_arguments(arguments, len(load(CALLS[itemsets][1])))
                rules = fp.association_rules(foreign_frame(itemsets), **arguments)
                ours, theirs = self.assert_rules(rules, name, arguments)
                if "num_itemsets" not in arguments:
                    # No counts to recover: mlxtend's formulas, to the last bit.
                    self.assertEqual(ours, theirs)

    def test_a_rule_at_exactly_the_threshold_is_kept(self):
        frame, data = mine("at_threshold")
        self.assertEqual(len(EXPECTED["rules"]["at_threshold_rules"]["rows"]), 0)
        rules = fp.association_rules(frame, num_itemsets=len(data))
        self.assertEqual(list(zip(rules["antecedents"], rules["consequents"])),
                         [(frozenset("a"), frozenset("b"))])
        self.assertEqual(rules["confidence"][0], 0.8)
        # Without num_itemsets, fimbit's own frame still has its counts; a copy
        # is a foreign frame, whose supports alone give mlxtend's quotient.
        self.assertEqual(len(fp.association_rules(frame)), 1)
        self.assertEqual(len(fp.association_rules(frame.copy())), 0)

    def test_a_changed_frame_is_read_as_it_is_now(self):
        frame, data = mine("market_fpgrowth")
        before = fp.association_rules(frame, len(data), min_threshold=0.0)
        copied = fp.association_rules(frame.copy(), len(data), min_threshold=0.0)
        self.assertEqual(set(copied.itertuples(index=False)), set(before.itertuples(index=False)))
        eggs = frame.index[frame["itemsets"] == frozenset(["Eggs"])][0]
        frame.loc[eggs, "support"] = 0.9  # in place: the remembered counts no longer hold
        after = fp.association_rules(frame, len(data), min_threshold=0.0)
        supports = after.loc[after["antecedents"] == frozenset(["Eggs"]), "antecedent support"]
        self.assertGreater(len(supports), 0)
        self.assertTrue((supports == 0.9).all())


class Refusals(unittest.TestCase):
    def test_null_values_are_not_implemented(self):
        data = load("market")
        for function in (fp.fpgrowth, fp.fpmax):
            with self.assertRaises(NotImplementedError):
                function(data, null_values=True)
        frame, _ = mine("market_fpgrowth")
        with self.assertRaises(NotImplementedError):
            fp.association_rules(frame, 5, df_orig=data, null_values=True)
        with self.assertRaisesRegex(NotImplementedError, "filter fpmax's result"):
            fp.fpmax(data, max_len=2)
        with self.assertRaises(TypeError):  # mlxtend's checks come first
            fp.association_rules(frame, 5, null_values=True)

    def test_bad_input_as_mlxtend_reports_it(self):
        data = load("market")
        for support in (0, -0.1, 1.5):
            with self.assertRaisesRegex(ValueError, "min_support"):
                fp.fpgrowth(data, min_support=support)
        with self.assertRaisesRegex(ValueError, "Found value 2"):
            fp.apriori(data.astype(int) * 2)
        with self.assertRaisesRegex(ValueError, "NaN values are not permitted"):
            fp.fpgrowth(data.astype(float).where(data, np.nan))
        frame, _ = mine("market_fpgrowth")
        with self.assertRaisesRegex(ValueError, "is empty"):
            fp.association_rules(frame.iloc[:0], 5)
        with self.assertRaisesRegex(ValueError, "columns 'support' and 'itemsets'"):
            fp.association_rules(frame.rename(columns={"support": "s"}), 5)
        with self.assertRaisesRegex(ValueError, "Metric must be"):
            fp.association_rules(frame, 5, metric="interest")
        with self.assertRaises(KeyError):
            fp.association_rules(frame, 5, return_metrics=["interest"])

    def test_missing_subsets_and_repeated_rows(self):
        maximal, data = mine("groceries_fpmax")
        with self.assertRaisesRegex(KeyError, "support_only=True"):
            fp.association_rules(maximal, len(data))
        frame, _ = mine("market_fpgrowth")
        with self.assertRaisesRegex(ValueError, "row 1 repeats the itemset of row 0"):
            fp.association_rules(pd.concat([frame.iloc[:1], frame.iloc[:1]]), 5)

    def test_supports_that_are_no_fraction(self):
        # mlxtend would carry a NaN support into NaN measures; the library
        # refuses it, and any support outside [0, 1], naming the frame's row.
        frame, data = mine("market_fpgrowth")
        for support, shown in ((np.nan, "nan"), (1.5, "1.5"), (-0.2, "-0.2"), (np.inf, "inf")):
            edited = frame.copy()
            edited.loc[edited.index[2], "support"] = support
            with self.assertRaisesRegex(
                    ValueError, f"row 2 has a support of {shown}, not a fraction in \\[0, 1\\]"):
                fp.association_rules(edited, len(data))


if __name__ == "__main__":
    unittest.main()

"""The inputs and calls whose mlxtend 0.25 results are stored in
data/mlxtend_expected.json: make_mlxtend_expected.py runs them through
mlxtend once, test_frequent_patterns.py through fimbit.frequent_patterns.

A case is (name, function, input, arguments); association_rules cases name
the itemsets case whose frame they take (or its frame as read back from the
JSON file, "foreign": a frame fimbit did not make)."""
import os

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("FIMBIT_SOURCE_DIR", os.path.join(HERE, "..", ".."))
DATASETS = os.environ.get("FIMBIT_DATASETS", os.path.join(SOURCE, "..", "shared", "datasets"))
EXPECTED = os.path.join(HERE, "data", "mlxtend_expected.json")

# mlxtend's user-guide example.
MARKET = [["Milk", "Onion", "Nutmeg", "Kidney Beans", "Eggs", "Yogurt"],
          ["Dill", "Onion", "Nutmeg", "Kidney Beans", "Eggs", "Yogurt"],
          ["Milk", "Apple", "Kidney Beans", "Eggs"],
          ["Milk", "Unicorn", "Corn", "Kidney Beans", "Yogurt"],
          ["Corn", "Onion", "Onion", "Kidney Beans", "Ice cream", "Eggs"]]

# 29 baskets where a => b holds in exactly 12 of a's 15: confidence 0.8, which
# mlxtend computes as (12/29 * 29) / (15/29 * 29) = 0.7999999999999999.
AT_THRESHOLD = [["a", "b"]] * 12 + [["a"]] * 3 + [["b"]] * 4 + [["c"]] * 10


def one_hot(baskets):
    """A bool frame with a column per item, in sorted order (as mlxtend's
    TransactionEncoder makes it)."""
    items = sorted({item for basket in baskets for item in basket})
    return pd.DataFrame([[item in set(basket) for item in items] for basket in baskets],
                        columns=items)


def read_lines(path, separator=None, limit=None):
    baskets = []
    with open(path) as lines:
        for line in lines:
            if limit is not None and len(baskets) == limit:
                break
            baskets.append([item.strip() for item in line.rstrip("\n").split(separator)
                            if item.strip()])
    return baskets


def load(name):
    """The one-hot frame of input `name`, or None when its file is missing."""
    if name == "market":
        return one_hot(MARKET)
    if name == "at_threshold":
        return one_hot(AT_THRESHOLD)
    if name == "groceries":
        return one_hot(read_lines(os.path.join(SOURCE, "datasets", "groceries.csv"), ","))
    if name == "mushroom":  # dense: long maximal itemsets
        path = os.path.join(DATASETS, "mushroom.dat")
        return one_hot(read_lines(path, limit=1000)) if os.path.exists(path) else None
    raise KeyError(name)


ITEMSETS = [
    ("market_fpgrowth", "fpgrowth", "market", dict(min_support=0.6, use_colnames=True)),
    ("market_positions", "fpgrowth", "market", dict(min_support=0.6)),
    ("market_apriori", "apriori", "market", dict(min_support=0.6, use_colnames=True)),
    ("market_fpmax", "fpmax", "market", dict(min_support=0.6, use_colnames=True)),
    ("market_max_len", "fpgrowth", "market", dict(min_support=0.4, max_len=2)),
    ("market_none", "fpgrowth", "market", dict(min_support=1.0)),
    ("market_apriori_none", "apriori", "market", dict(min_support=1.0)),
    ("at_threshold", "fpgrowth", "at_threshold", dict(min_support=0.1, use_colnames=True)),
    ("groceries", "fpgrowth", "groceries", dict(min_support=0.01, use_colnames=True)),
    ("groceries_apriori", "apriori", "groceries", dict(min_support=0.02)),
    ("groceries_fpmax", "fpmax", "groceries", dict(min_support=0.005, use_colnames=True)),
    ("groceries_max_len", "fpgrowth", "groceries", dict(min_support=0.004, max_len=2)),
    ("mushroom", "fpgrowth", "mushroom", dict(min_support=0.85, use_colnames=True)),
    ("mushroom_fpmax", "fpmax", "mushroom", dict(min_support=0.3)),
]

# num_itemsets="rows" stands for the number of baskets of the case's input;
# the cases without it keep mlxtend's default of 1.
RULES = [
    ("market_rules", "market_fpgrowth",
     dict(num_itemsets="rows", metric="confidence", min_threshold=0.7)),
    ("market_rules_positions", "market_positions", dict(metric="lift", min_threshold=1.0)),
    ("at_threshold_rules", "at_threshold", dict(num_itemsets="rows")),
    ("groceries_confidence", "groceries",
     dict(num_itemsets="rows", metric="confidence", min_threshold=0.3)),
    ("groceries_lift", "groceries", dict(num_itemsets="rows", metric="lift", min_threshold=1.5)),
    ("groceries_leverage", "groceries",
     dict(num_itemsets="rows", metric="leverage", min_threshold=0.002)),
    ("groceries_conviction", "groceries",
     dict(num_itemsets="rows", metric="conviction", min_threshold=1.2)),
    ("groceries_zhang", "groceries",
     dict(num_itemsets="rows", metric="zhangs_metric", min_threshold=0.5)),
    ("groceries_jaccard", "groceries",
     dict(num_itemsets="rows", metric="jaccard", min_threshold=0.05)),
    ("groceries_certainty", "groceries",
     dict(num_itemsets="rows", metric="certainty", min_threshold=0.1)),
    ("groceries_kulczynski", "groceries",
     dict(num_itemsets="rows", metric="kulczynski", min_threshold=0.2)),
    ("groceries_support", "groceries",
     dict(num_itemsets="rows", metric="support", min_threshold=0.012)),
    ("groceries_antecedent_support", "groceries",
     dict(num_itemsets="rows", metric="antecedent support", min_threshold=0.15)),
    ("groceries_representativity", "groceries",
     dict(num_itemsets="rows", metric="representativity", min_threshold=1.0,
          return_metrics=["support", "lift"])),
    ("groceries_float_formulas", "groceries", dict(metric="confidence", min_threshold=0.25)),
    ("groceries_apriori_rules", "groceries_apriori",
     dict(num_itemsets="rows", metric="confidence", min_threshold=0.25)),
    ("groceries_fpmax_support_only", "groceries_fpmax",
     dict(num_itemsets="rows", support_only=True, min_threshold=0.01)),
    ("groceries_none", "groceries",
     dict(num_itemsets="rows", metric="confidence", min_threshold=1.0)),
    ("mushroom_rules", "mushroom",
     dict(num_itemsets="rows", metric="confidence", min_threshold=0.98)),
]


def rule_arguments(arguments, rows):
    """A rules case's arguments with num_itemsets="rows" made `rows`."""
    return {key: rows if value == "rows" else value for key, value in arguments.items()}

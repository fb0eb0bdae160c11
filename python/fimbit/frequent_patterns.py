"""mlxtend's frequent_patterns, computed by libfimbit. Switching is one line:

    from mlxtend.frequent_patterns import fpgrowth, association_rules   # before
    from fimbit.frequent_patterns import fpgrowth, association_rules    # after

fpgrowth, fpmax, apriori and association_rules take mlxtend 0.25's arguments
and return its frames: the same rows, the same columns in the same order with
the same dtypes, frozensets of column names (use_colnames=True) or of column
positions (numpy integers, as mlxtend gives them). One-hot input may be dense
or sparse (pandas SparseDtype columns). What differs:

- Row order. Itemsets come by size, then by column position (apriori's
  order, which fpgrowth's tree order is not); rules come itemset by itemset.
  Compare results as sets of rows, not row by row.
- Exactness. Supports, confidences and the other measures come from basket
  counts: a confidence is count(X u Y) / count(X) rounded once, so a rule at
  exactly min_threshold (4 of 5 baskets at 0.8) is kept where mlxtend's
  quotient of two rounded supports can fall an ulp short and drop it.
  association_rules has the counts of a frame that one of these functions
  returned, unchanged; for any other frame it recovers them from
  num_itemsets when every support is a count over num_itemsets, and otherwise
  follows mlxtend's floating-point formulas.
- null_values=True (NaN meaning "unknown") and fpmax's max_len are not
  supported and raise NotImplementedError, rather than giving a different
  answer.
- A frame whose support column holds NaN or a value outside [0, 1] is
  refused by association_rules with a ValueError naming the row, where
  mlxtend would carry it into NaN or impossible measures.
"""
import ctypes

import numpy as np
import pandas as pd

from . import _support_table as table
from ._data import Dataset, basket_offsets, frozensets, one_hot_cells
from ._native import MineOptions, lib

__all__ = ["apriori", "fpgrowth", "fpmax", "association_rules"]

_TARGET_ALL, _TARGET_MAXIMAL = 0, 2
_NULL_VALUES = ("null_values=True (NaN cells as unknown values) is not supported by "
                "fimbit.frequent_patterns; drop or fill the NaN cells, or use mlxtend")


def fpgrowth(df, min_support=0.5, null_values=False, use_colnames=False, max_len=None,
             verbose=0):
    """The frequent itemsets of a one-hot DataFrame, as mlxtend's fpgrowth.

    df: a row per basket, a column per item, cells True/False or 0/1 (dense or
    sparse). min_support: a fraction of the rows in (0, 1]; an itemset is
    frequent when it is in at least ceil(min_support * rows) rows and its
    support is >= min_support. use_colnames: itemsets of column names instead
    of column positions. max_len: the largest itemset size (None: no limit).
    verbose: > 0 prints one line of totals.

    Returns a DataFrame with columns support (float64) and itemsets
    (frozensets), by size and then column position. Supports are
    count / rows, as mlxtend computes them. null_values=True raises
    NotImplementedError."""
    return _mine(df, min_support, null_values, use_colnames, max_len, verbose,
                 _TARGET_ALL, _tree_min_count, "fpgrowth")


def fpmax(df, min_support=0.5, null_values=False, use_colnames=False, max_len=None, verbose=0):
    """The maximal frequent itemsets (no proper superset is frequent) of a
    one-hot DataFrame, as mlxtend's fpmax; arguments and result as fpgrowth().

    max_len other than None raises NotImplementedError: with it, mlxtend's
    fpmax returns what its tree traversal happens to meet (on groceries at
    0.005 and max_len=2 it keeps {soda, bottled beer}, whose superset with
    bottled water is frequent), which fimbit cannot reproduce. Filter the
    result by length instead."""
    if max_len is not None:
        raise NotImplementedError(
            "fpmax with max_len is not supported by fimbit.frequent_patterns: mlxtend's "
            "result then depends on its tree traversal (it may keep an itemset that has a "
            "frequent superset); filter fpmax's result by itemset length instead")
    return _mine(df, min_support, null_values, use_colnames, max_len, verbose,
                 _TARGET_MAXIMAL, _tree_min_count, "fpmax")


def apriori(df, min_support=0.5, use_colnames=False, max_len=None, verbose=0, low_memory=False,
            n_jobs=1):
    """The frequent itemsets of a one-hot DataFrame, as mlxtend's apriori:
    arguments and result as fpgrowth(), and the same itemsets in the same
    order as mlxtend's apriori (an itemset is frequent when its support is
    >= min_support). low_memory and n_jobs change nothing here: fimbit mines
    on every core with the memory it needs."""
    return _mine(df, min_support, False, use_colnames, max_len, verbose, _TARGET_ALL,
                 _fraction_min_count, "apriori")


def _fraction_min_count(min_support, rows):
    """The least count c with c / rows >= min_support, compared as mlxtend
    compares (in floating point)."""
    count = max(int(np.floor(min_support * rows)) - 1, 1)
    while count / float(rows) < min_support:
        count += 1
    return count


def _tree_min_count(min_support, rows):
    """mlxtend's FP-tree threshold: ceil(min_support * rows) baskets, and the
    support count / rows >= min_support besides."""
    return max(int(np.ceil(min_support * rows)), _fraction_min_count(min_support, rows))


def _mine(df, min_support, null_values, use_colnames, max_len, verbose, target,
          min_count_of, name):
    if null_values:
        raise NotImplementedError(_NULL_VALUES)
    rows, columns = one_hot_cells(df)
    if min_support <= 0.0 or min_support > 1.0:
        raise ValueError("`min_support` must be a positive number within the interval "
                         f"`(0, 1]`. Got {min_support}.")
    basket_count = len(df.index)
    labels = list(df.columns) if use_colnames else list(np.arange(df.shape[1]))
    min_count = min_count_of(min_support, basket_count) if basket_count else 1
    items, offsets, counts = _mine_columns(rows, columns, basket_count, min_count, target,
                                           max_len)
    if verbose > 0:
        print(f"fimbit {name}: {len(counts)} itemset(s) in {basket_count} baskets")
    return _itemsets_frame(items, offsets, counts, basket_count, labels, name == "apriori")


def _mine_columns(rows, columns, basket_count, min_count, target, max_len):
    """Mines baskets given as (row, column) cells. @return the itemsets as
    column positions (items, offsets) and their basket counts, in canonical
    order: by size, then column position."""
    if basket_count == 0 or len(rows) == 0:
        return np.empty(0, np.uint32), np.zeros(1, np.uint64), np.empty(0, np.uint64)
    # The library names each item by its column position: numeric names sort
    # numerically, so its canonical order is column order.
    with Dataset.from_ids(columns, basket_offsets(rows, basket_count)) as dataset:
        options = MineOptions()
        lib.fimbit_mine_options_init(ctypes.byref(options))
        options.min_count = min_count
        options.target = target
        options.max_size = 0 if max_len is None else max_len
        items, offsets, counts = dataset.mine_canonical(options)
        item_columns = np.array(dataset.labels, dtype=np.uint32)
    return item_columns[items], offsets, counts


def _itemsets_frame(items, offsets, counts, basket_count, labels, range_index):
    """mlxtend's frame of itemsets, remembered with its counts for
    association_rules."""
    if len(counts) == 0:
        if range_index:
            return pd.DataFrame({"support": np.empty(0), "itemsets": pd.Series([], dtype=object)})
        # mlxtend's fpgrowth and fpmax build their empty frame from empty lists.
        return pd.DataFrame({"support": [], "itemsets": []}, index=pd.Index([], dtype=np.int64))
    sets = frozensets(items, offsets, labels)
    index = None if range_index else pd.Index(np.arange(len(sets)), dtype=np.int64)
    frame = pd.DataFrame({"support": counts / float(basket_count), "itemsets": sets},
                         index=index)
    table.remember(frame, table.Itemsets(items, offsets, labels, basket_count, counts=counts,
                                         sets=sets))
    return frame


def association_rules(df, num_itemsets=1, df_orig=None, null_values=False, metric="confidence",
                      min_threshold=0.8, support_only=False, return_metrics=table.METRICS):
    """The association rules of a frame of itemsets, as mlxtend's
    association_rules: every X => Y with X u Y a row of `df`, X and Y
    non-empty and disjoint, whose `metric` is >= min_threshold.

    df: columns support and itemsets, as fpgrowth() returns them (or any
    frame of that shape, from mlxtend too). num_itemsets: the number of
    baskets behind the supports. metric: one of "antecedent support",
    "consequent support", "support", "confidence", "lift", "representativity",
    "leverage", "conviction", "zhangs_metric", "jaccard", "certainty",
    "kulczynski". support_only: compute the support alone (the other columns
    are NaN), for frames that lack some antecedents or consequents.
    return_metrics: the measure columns, in order.

    Returns a DataFrame with columns antecedents and consequents (frozensets)
    and the measures, computed in the C library. For a frame returned by
    fpgrowth, fpmax or apriori and left unchanged, every measure comes from
    exact basket counts: confidence is count(X u Y) / count(X) rounded once,
    so a rule at exactly min_threshold is kept where mlxtend's quotient of
    rounded supports may drop it. A foreign frame gets the same when its
    supports are counts over num_itemsets, and mlxtend's own floating-point
    formulas otherwise. null_values=True raises NotImplementedError; a
    support that is NaN or outside [0, 1] raises ValueError."""
    if null_values and df_orig is None:
        raise TypeError("If null values exist, df_orig must be provided.")
    if null_values and num_itemsets == 1:
        raise TypeError("If null values exist, num_itemsets must be provided.")
    if null_values:
        raise NotImplementedError(_NULL_VALUES)
    if df_orig is not None:
        one_hot_cells(df_orig)  # mlxtend checks it, and uses it only for null values
    if not df.shape[0]:
        raise ValueError("The input DataFrame `df` containing the frequent itemsets is empty.")
    if not all(column in df.columns for column in ["support", "itemsets"]):
        raise ValueError("Dataframe needs to contain the columns 'support' and 'itemsets'")
    if support_only:
        metric = "support"
    elif metric not in table.METRICS:
        raise ValueError(f"Metric must be 'confidence' or 'lift', got '{metric}'")
    for name in return_metrics:
        if name not in table.METRICS:
            raise KeyError(name)

    known = table.recall(df)
    if known is None:
        known = table.foreign(df, 1 if num_itemsets is None else int(num_itemsets))
    itemset_rows, antecedent_rows, consequent_rows, masks, measures = table.derive_rules(
        known, metric, min_threshold, support_only)
    if len(itemset_rows) == 0:
        return pd.DataFrame(columns=["antecedents", "consequents"] + list(return_metrics))
    sets = df["itemsets"].to_numpy(dtype=object)
    sides = {}
    for side, rows, mask_of in (("antecedents", antecedent_rows, masks),
                                ("consequents", consequent_rows, ~masks)):
        sides[side] = table.rule_sides(known, sets, rows, itemset_rows, mask_of)
    result = pd.DataFrame(sides)
    if support_only:
        for name in return_metrics:
            result[name] = np.nan
        result["support"] = measures[:, table.METRICS.index("support")]
    else:
        for name in return_metrics:
            result[name] = measures[:, table.METRICS.index(name)]
    return result

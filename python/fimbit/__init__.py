"""fimbit: parallel frequent itemsets, association rules and recommendations.

A ctypes binding of libfimbit.so whose results are pandas DataFrames with
mlxtend's columns, so a notebook switches by changing its import:

    import fimbit
    frequent = fimbit.itemsets(baskets, min_support=0.01)   # support, itemsets
    strong = fimbit.rules(baskets, min_support=0.01, min_confidence=0.5)
    fimbit.recommend(strong, ["whole milk", "rolls/buns"], k=5)
    customers = fimbit.rfm("orders.csv", customer="CustomerID", order="InvoiceNo",
                           date="InvoiceDate", amount="Quantity*UnitPrice")

`data` is a path (FIMI, named baskets or long CSV; gzip and zstd too), a list
of baskets (each a collection of hashable items), or a pandas DataFrame: one-hot
like mlxtend's input, or long (a row per basket and item) when basket_column=
and item_column= name its columns. Library errors raise FimbitError with the
library's message; arguments the library rejects raise InvalidArgumentError,
a FimbitError and a ValueError.
"""
import ctypes
import os
import warnings

import numpy as np
import pandas as pd

from ._data import Dataset, frozensets
from ._native import (MEASURES, Error, FimbitError, InvalidArgumentError, MineOptions,
                      Recommendation, RfmCustomer, RfmOptions, Rule, RuleOptions, check, lib)

__all__ = ["itemsets", "rules", "recommend", "Recommender", "rfm", "FimbitError",
           "InvalidArgumentError", "version"]
__version__ = "0.1.0"

_TARGETS = {"all": 0, "closed": 1, "maximal": 2}
_ALGORITHMS = {"auto": 0, "fpgrowth": 1, "eclat": 2}
_RECOMMEND_BY = {"confidence": 0, "lift": 1}
_P_ADJUST = {"none": 0, "bonferroni": 1, "holm": 2}


def version():
    """The loaded library's version string."""
    return lib.fimbit_version().decode()


def _choice(table, value, what):
    if value not in table:
        raise ValueError(f"{what} must be one of {', '.join(table)}, not {value!r}")
    return table[value]


def _size(value, what, least):
    """An integer option the library holds in a uint32_t: checked here, since
    ctypes would wrap a negative one around (-1 becoming 4294967295)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{what} must be an integer, not {value!r}")
    if not least <= value <= 0xFFFFFFFF:
        raise ValueError(f"{what} must be an integer >= {least}, not {value}")
    return int(value)


def _set_mine_options(options, min_support, min_size, max_size, algorithm, threads):
    """min_support: a fraction of the baskets in (0, 1], or an int >= 1 for a
    basket count."""
    if isinstance(min_support, (int, np.integer)) and not isinstance(min_support, bool):
        if min_support < 1:
            raise ValueError(f"min_support as a basket count must be >= 1, not {min_support}")
        options.min_count = int(min_support)
    else:
        options.min_count = 0
        options.min_support = float(min_support)
    options.min_size = _size(min_size, "min_size", 0)
    options.max_size = 0 if max_size is None else _size(max_size, "max_size", 0)
    options.algorithm = _choice(_ALGORITHMS, algorithm, "algorithm")
    options.threads = threads


def itemsets(data, min_support=0.01, target="all", max_size=None, threads=0, *, min_size=1,
             algorithm="auto", basket_column=None, item_column=None):
    """The frequent itemsets of `data` as a DataFrame with mlxtend's columns:
    `support` (a fraction of the baskets) and `itemsets` (frozensets of the
    caller's items), in canonical order (by size, then items).

    target: "all", "closed" (no superset has the same support) or "maximal"
    (no superset is frequent). threads: 0 = every core."""
    options = MineOptions()
    lib.fimbit_mine_options_init(ctypes.byref(options))
    _set_mine_options(options, min_support, min_size, max_size, algorithm, threads)
    options.target = _choice(_TARGETS, target, "target")
    with Dataset(data, basket_column, item_column, threads) as dataset:
        items, offsets, counts = dataset.mine_canonical(options)
        sets = frozensets(items, offsets, dataset.labels)
        supports = counts / float(dataset.basket_count)
    return pd.DataFrame({"support": supports, "itemsets": sets})


_RULE_COLUMNS = ["antecedents", "consequents", "antecedent support", "consequent support",
                 "support", "confidence", "lift", "leverage", "conviction"]


def _measure_mask(measures):
    """measures: None, "all", or an iterable of names from MEASURES."""
    if measures is None:
        return 0, []
    names = list(MEASURES) if measures == "all" else list(measures)
    if isinstance(measures, str) and measures != "all":
        names = [measures]
    mask = 0
    for name in names:
        if name not in MEASURES:
            raise ValueError(f"unknown measure {name!r}: expected 'all' or some of "
                             + ", ".join(MEASURES))
        mask |= 1 << MEASURES.index(name)
    return mask, [name for name in MEASURES if mask >> MEASURES.index(name) & 1]


def _item_names(dataset, items, what):
    """The dataset's names of the caller's `items` (a collection), as a ctypes
    array and its length; items the data lacks are warned about and left out
    (the library ignores unknown names too, but cannot name the caller's)."""
    if items is None:
        return None, 0
    if isinstance(items, (str, bytes)):
        items = [items]
    name_of = {label: lib.fimbit_dataset_item_name(dataset.handle, item)
               for item, label in enumerate(dataset.labels)}
    names = []
    for item in items:
        if item in name_of:
            names.append(name_of[item])
        else:
            warnings.warn(f"{what}: item {item!r} does not occur in the data", stacklevel=3)
    # An empty list still constrains (to nothing): a NUL-free placeholder.
    array = (ctypes.c_char_p * max(len(names), 1))(*names)
    return array, len(names)


def rules(data, min_support=0.01, min_confidence=0.8, max_consequent=1, *, min_lift=0.0,
          min_size=1, max_size=None, algorithm="auto", threads=0, basket_column=None,
          item_column=None, antecedent_items=None, consequent_items=None, exclude_items=None,
          measures=None, min_improvement=None, non_redundant=False, max_p=1.0,
          p_adjust="none"):
    """The strong rules X => Y of `data` as a DataFrame with mlxtend's
    association_rules columns: antecedents, consequents (frozensets),
    antecedent support, consequent support, support, confidence, lift,
    leverage, conviction (inf at confidence 1), then one column per extra
    measure asked for. Canonical order.

    A rule is strong when the support of X and Y together >= min_support,
    confidence >= min_confidence and lift >= min_lift; max_consequent bounds
    |Y| (0 = no limit).

    antecedent_items, consequent_items: collections of the caller's items;
    every item of X (of Y) must be one of them. exclude_items: removed from
    every basket before mining. Items the data lacks give a warning.
    measures: "all" or some of antecedent_support, consequent_support,
    jaccard, kulczynski, certainty, zhangs_metric, cosine, improvement,
    p_value (columns of those names, in that order; antecedent and consequent
    support are mlxtend's columns already). min_improvement keeps rules whose
    improvement over every simpler rule is at least that; non_redundant those
    with a positive one. max_p keeps rules whose one-sided Fisher p-value,
    adjusted by p_adjust ("none", "bonferroni", "holm") over the rules that
    pass every other filter, is at most max_p."""
    options = RuleOptions()
    lib.fimbit_rule_options_init(ctypes.byref(options))
    _set_mine_options(options.mine, min_support, min_size, max_size, algorithm, threads)
    options.min_confidence = min_confidence
    options.min_lift = min_lift
    options.max_consequent = _size(max_consequent, "max_consequent", 0)
    options.measures, extra = _measure_mask(measures)
    if min_improvement is not None:
        options.min_improvement = float(min_improvement)
    options.non_redundant = 1 if non_redundant else 0
    options.max_p = float(max_p)
    options.p_adjust = _choice(_P_ADJUST, p_adjust, "p_adjust")
    extra = [name for name in extra if name not in ("antecedent_support", "consequent_support")]
    with Dataset(data, basket_column, item_column, threads) as dataset:
        lists = [_item_names(dataset, antecedent_items, "antecedent_items"),
                 _item_names(dataset, consequent_items, "consequent_items"),
                 _item_names(dataset, exclude_items, "exclude_items")]
        (options.antecedent_items, options.antecedent_item_count), \
            (options.consequent_items, options.consequent_item_count), \
            (options.exclude_items, options.exclude_item_count) = [
                (ctypes.cast(array, ctypes.POINTER(ctypes.c_char_p)) if array is not None
                 else None, count) for array, count in lists]
        result = ctypes.c_void_p()
        error = Error()
        check(lib.fimbit_mine_rules(dataset.handle, ctypes.byref(options), ctypes.byref(result),
                                    ctypes.byref(error)), error)
        try:
            lib.fimbit_rules_sort(result)
            count = lib.fimbit_rules_count(result)
            labels = dataset.labels
            columns = {name: [None] * count for name in _RULE_COLUMNS[:2]}
            numbers = np.empty((count, 7 + len(extra)))
            rule = Rule()
            for i in range(count):
                lib.fimbit_rules_get(result, i, ctypes.byref(rule))
                columns["antecedents"][i] = frozenset(
                    labels[item] for item in rule.antecedent[:rule.antecedent_size])
                columns["consequents"][i] = frozenset(
                    labels[item] for item in rule.consequent[:rule.consequent_size])
                numbers[i] = (rule.antecedent_support, rule.consequent_support,
                              rule.support, rule.confidence, rule.lift, rule.leverage,
                              rule.conviction, *(getattr(rule, name) for name in extra))
        finally:
            lib.fimbit_rules_free(result)
    frame = pd.DataFrame(columns)
    for index, name in enumerate(_RULE_COLUMNS[2:] + extra):
        frame[name] = numbers[:, index]
    return frame


class Recommender:
    """Items to suggest for baskets, from rules: those of fimbit.rules() (or
    any DataFrame with antecedents, consequents, confidence and lift columns),
    or a JSON Lines file written by `fimbit rules -f jsonl`. Every rule whose
    antecedents a basket holds proposes its consequents that the basket lacks;
    each item is scored by its best such rule."""

    def __init__(self, rules):
        self._handle = ctypes.c_void_p()
        error = Error()
        check(lib.fimbit_recommender_create(ctypes.byref(self._handle), ctypes.byref(error)),
              error)
        # The library names items by text: strings stay themselves, other
        # items get a private name, mapped back on the way out.
        self._name_of = {}
        self._label_of = {}
        if isinstance(rules, (str, bytes, os.PathLike)):
            check(lib.fimbit_recommender_read_rules(self._handle, os.fsencode(rules),
                                                    ctypes.byref(error)), error)
        else:
            for row in rules[["antecedents", "consequents", "confidence", "lift"]].itertuples(
                    index=False):
                antecedent = [self._name(item) for item in row[0]]
                consequent = [self._name(item) for item in row[1]]
                check(lib.fimbit_recommender_add_rule(
                    self._handle, (ctypes.c_char_p * len(antecedent))(*antecedent),
                    len(antecedent), (ctypes.c_char_p * len(consequent))(*consequent),
                    len(consequent), float(row[2]), float(row[3]), ctypes.byref(error)), error)

    def _name(self, item):
        name = self._name_of.get(item)
        if name is None:
            text = item if isinstance(item, str) else f"\x1f{len(self._name_of)}"
            name = self._name_of[item] = text.encode()
            self._label_of[name] = item
        return name

    def __len__(self):
        return lib.fimbit_recommender_rule_count(self._handle)

    def recommend(self, basket, k=10, by="confidence"):
        """Up to k items for `basket` (a collection of items), best first, as a
        DataFrame with columns item, confidence and lift (of each item's best
        rule). by: "confidence" (ties by lift) or "lift" (ties by confidence)."""
        how = _choice(_RECOMMEND_BY, by, "by")
        if k < 0:
            raise ValueError(f"k must be >= 0, not {k}")
        if isinstance(basket, (str, bytes)):
            raise TypeError(f"a basket must be a collection of items, not a string: {basket!r}")
        names = [self._name_of.get(item) or (item.encode() if isinstance(item, str) else b"")
                 for item in basket]
        out = (Recommendation * max(k, 1))()
        found = ctypes.c_size_t()
        error = Error()
        check(lib.fimbit_recommend_names(self._handle, (ctypes.c_char_p * max(len(names), 1))(
            *names), len(names), how, k, out, ctypes.byref(found), ctypes.byref(error)), error)
        items = []
        for entry in out[:found.value]:
            name = lib.fimbit_recommender_item_name(self._handle, entry.item)
            items.append(self._label_of.get(name, name.decode("utf-8", "replace")))
        return pd.DataFrame({"item": items,
                             "confidence": [entry.confidence for entry in out[:found.value]],
                             "lift": [entry.lift for entry in out[:found.value]]})

    def close(self):
        if self._handle:
            lib.fimbit_recommender_free(self._handle)
            self._handle = ctypes.c_void_p()

    def __del__(self):
        self.close()


def recommend(rules, basket, k=10, by="confidence"):
    """Recommender(rules).recommend(basket, k, by), for a single basket."""
    return Recommender(rules).recommend(basket, k, by)


_RFM_COLUMNS = ["customer", "recency", "frequency", "monetary", "r", "f", "m", "segment"]


def _text(value):
    """A column or option as the library takes it: None, or UTF-8 bytes (an
    int is a 1-based column index)."""
    return None if value is None else str(value).encode()


def rfm(path, customer, order, date, amount, *, as_of=None, date_format=None, bins=5,
        separator=",", threads=0):
    """Every customer's RFM record, as `fimbit rfm` computes it, in a
    DataFrame with the command's columns: customer (the id as read), recency
    (days from the customer's latest date to the as-of day), frequency
    (distinct orders), monetary (the exact sum of the amounts, as the nearest
    float; returns reduce it), r, f, m (scores 1..bins, equal values equal
    scores) and segment ("" unless bins is 5). Customers in order of first
    appearance; rows with an empty customer are skipped.

    path: an order-lines CSV file with a header (gzip and zstd too), or a
    list of them read as one table. customer, order, date: columns, by name
    or 1-based index; amount: a column or the product of two
    ("Quantity*UnitPrice"). date_format: strptime-style fields for dates
    that are not ISO 8601 ("%m/%d/%Y %H:%M"); as_of: the reference day
    (default the day after the latest date). threads: 0 = every core; the
    records do not depend on it."""
    paths = [path] if isinstance(path, (str, bytes, os.PathLike)) else list(path)
    encoded = [os.fsencode(p) for p in paths]
    options = RfmOptions()
    lib.fimbit_rfm_options_init(ctypes.byref(options))
    options.customer_column = _text(customer)
    options.order_column = _text(order)
    options.date_column = _text(date)
    options.amount = _text(amount)
    options.date_format = _text(date_format)
    options.as_of = _text(as_of)
    options.bins = bins
    options.separator = separator.encode()
    options.threads = threads
    handle = ctypes.c_void_p()
    error = Error()
    array = (ctypes.c_char_p * len(encoded))(*encoded)
    check(lib.fimbit_rfm_compute(array, len(encoded), ctypes.byref(options),
                                 ctypes.byref(handle), ctypes.byref(error)), error)
    try:
        rows = []
        record = RfmCustomer()
        for index in range(lib.fimbit_rfm_customer_count(handle)):
            lib.fimbit_rfm_get(handle, index, ctypes.byref(record))
            rows.append((record.customer.decode(), record.recency, record.frequency,
                         record.monetary, record.r, record.f, record.m,
                         record.segment.decode()))
    finally:
        lib.fimbit_rfm_free(handle)
    frame = pd.DataFrame(rows, columns=_RFM_COLUMNS)
    return frame.astype({"recency": "int64", "frequency": "int64", "monetary": "float64",
                         "r": "int64", "f": "int64", "m": "int64"})

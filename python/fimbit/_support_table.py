"""Rules from a frame of itemsets through the library's support table
(fimbit_support_table_*), and the registry that remembers, for every frame
that fimbit.frequent_patterns made, the exact counts behind its supports.
"""
import ctypes
import weakref

import numpy as np

from ._native import Error, FimbitError, c_double_p, c_uint32_p, c_uint64_p, check, lib

# The measures in fimbit_rule_metric order, which is mlxtend's column order.
METRICS = ["antecedent support", "consequent support", "support", "confidence", "lift",
           "representativity", "leverage", "conviction", "zhangs_metric", "jaccard",
           "certainty", "kulczynski"]
NO_ROW = np.iinfo(np.uint64).max


class Itemsets:
    """The rows of a frame of itemsets as the library takes them: row r holds
    the item ids items[offsets[r]:offsets[r + 1]], labels[id] being the
    frame's item; its basket count (counts, or None when unknown) out of
    basket_count baskets, or its support."""

    def __init__(self, items, offsets, labels, basket_count, counts=None, supports=None,
                 sets=None):
        self.items = np.ascontiguousarray(items, dtype=np.uint32)
        self.offsets = np.ascontiguousarray(offsets, dtype=np.uint64)
        self.labels = labels
        self.basket_count = basket_count
        self.counts = None if counts is None else np.ascontiguousarray(counts, dtype=np.uint64)
        self.supports = None if supports is None else np.ascontiguousarray(supports,
                                                                            dtype=np.float64)
        self.sets = sets  # the frame's frozensets, to recognise the frame unchanged

    def describes(self, frame):
        """True when `frame` still holds exactly the rows it was made with."""
        sets = frame["itemsets"].to_numpy()
        if len(sets) != len(self.sets) or not all(map(_same, sets, self.sets)):
            return False
        return np.array_equal(frame["support"].to_numpy(),
                              self.counts / float(self.basket_count))


def _same(a, b):
    return a is b


# id(frame) -> (weak reference to the frame, Itemsets). A frame copied or
# filtered is a new object, not found here, and is then read as foreign.
_made_by_fimbit = {}


def remember(frame, itemsets):
    key = id(frame)
    _made_by_fimbit[key] = (weakref.ref(frame), itemsets)
    weakref.finalize(frame, _made_by_fimbit.pop, key, None)


def recall(frame):
    """The Itemsets behind `frame` when fimbit made it and it is unchanged."""
    entry = _made_by_fimbit.get(id(frame))
    if entry is None or entry[0]() is not frame or not entry[1].describes(frame):
        return None
    return entry[1]


def foreign(frame, num_itemsets):
    """The Itemsets of a frame from elsewhere, items numbered in order of
    first appearance. Counts are recovered when every support is
    count / num_itemsets exactly (as mlxtend and fimbit both compute it)."""
    ids = {}
    items, offsets = [], [0]
    for itemset in frame["itemsets"]:
        for item in itemset:
            items.append(ids.setdefault(item, len(ids)))
        offsets.append(len(items))
    supports = frame["support"].to_numpy(dtype=float)
    counts = None
    if num_itemsets > 1:
        rounded = np.rint(supports * num_itemsets)
        exact = np.array_equal(rounded / float(num_itemsets), supports)
        if exact and (rounded >= 0).all() and (rounded <= num_itemsets).all():
            counts = rounded
    return Itemsets(items, offsets, list(ids), num_itemsets, counts, supports)


def derive_rules(itemsets, metric, min_threshold, support_only):
    """Runs the library's rule derivation over `itemsets`. @return (itemset
    rows, antecedent rows, consequent rows, antecedent masks, measures as a
    rules x 12 array); a side's row is NO_ROW when it is not in the table
    (support_only). Raises KeyError, as mlxtend does, when a side's support is
    missing, and ValueError for a frame the table refuses (a repeated row, a
    support that is NaN or outside [0, 1])."""
    error = Error()
    table = ctypes.c_void_p()
    try:
        check(lib.fimbit_support_table_create(
            itemsets.items.ctypes.data_as(c_uint32_p), itemsets.offsets.ctypes.data_as(c_uint64_p),
            len(itemsets.offsets) - 1,
            None if itemsets.supports is None else itemsets.supports.ctypes.data_as(c_double_p),
            None if itemsets.counts is None else itemsets.counts.ctypes.data_as(c_uint64_p),
            itemsets.basket_count, ctypes.byref(table), ctypes.byref(error)), error)
    except FimbitError as failure:
        raise ValueError(f"cannot derive rules from this frame: {failure}") from None
    rules = ctypes.c_void_p()
    try:
        check(lib.fimbit_support_table_rules(table, METRICS.index(metric), min_threshold,
                                             int(support_only), ctypes.byref(rules),
                                             ctypes.byref(error)), error)
    except FimbitError as failure:
        if failure.status != "EINVAL":
            raise
        raise KeyError(f"{failure}. You are likely getting this error because the DataFrame "
                       "is missing antecedent and/or consequent information. You can try "
                       "using the `support_only=True` option") from None
    finally:
        lib.fimbit_support_table_free(table)
    try:
        count = lib.fimbit_table_rules_count(rules)
        columns = [np.empty(count, dtype=np.uint64) for _ in range(4)]
        measures = np.empty((count, len(METRICS)))
        lib.fimbit_table_rules_export(rules, *(c.ctypes.data_as(c_uint64_p) for c in columns),
                                      measures.ctypes.data_as(c_double_p))
    finally:
        lib.fimbit_table_rules_free(rules)
    return (*columns, measures)


def rule_sides(itemsets, sets, rows, itemset_rows, masks):
    """The frozensets of one side of every rule: the frame's own itemset at
    `rows` when the side is a row, else the items of its rule's row picked by
    the bits of `masks`. Numpy integers become ints, as in mlxtend's rules."""
    present = rows != NO_ROW
    found = np.unique(rows[present]).astype(np.intp)
    by_row = np.empty(len(sets), dtype=object)
    by_row[found] = [_plain(sets[row]) for row in found.tolist()]
    sides = np.empty(len(rows), dtype=object)
    sides[present] = by_row[rows[present].astype(np.intp)]
    for rule in np.nonzero(~present)[0].tolist():
        row = int(itemset_rows[rule])
        ids = itemsets.items[int(itemsets.offsets[row]):int(itemsets.offsets[row + 1])].tolist()
        mask = int(masks[rule])
        sides[rule] = _plain(itemsets.labels[item] for bit, item in enumerate(ids)
                             if mask >> bit & 1)
    return sides


def _plain(items):
    """A frozenset of `items` with numpy integers as ints; a frozenset that
    needs no change is returned as it is."""
    if isinstance(items, frozenset) and not any(isinstance(i, np.integer) for i in items):
        return items
    return frozenset(int(i) if isinstance(i, np.integer) else i for i in items)

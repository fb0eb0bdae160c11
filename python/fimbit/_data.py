"""Turns what a caller has (a path, a list of baskets, a pandas DataFrame)
into a fimbit dataset, remembering the caller's item for every dataset item.
"""
import ctypes
import os

import numpy as np
import pandas as pd

from ._native import Error, ReadOptions, c_uint32_p, c_uint64_p, check, lib


class Dataset:
    """Owns a fimbit_dataset. `labels[id]` is the caller's item for the
    dataset's item `id`; free with close() or a `with` block."""

    def __init__(self, data, basket_column=None, item_column=None, threads=0):
        self.handle = ctypes.c_void_p()
        if isinstance(data, (str, bytes, os.PathLike)):
            self._read(os.fsencode(data), basket_column, item_column, threads)
            return
        if isinstance(data, pd.DataFrame):
            if (basket_column is None) != (item_column is None):
                raise ValueError("give both basket_column and item_column, or neither")
            if basket_column is not None:
                codes, offsets, labels = _long_frame(data, basket_column, item_column)
            else:
                codes, offsets, labels = _one_hot_frame(data)
        else:
            if basket_column is not None or item_column is not None:
                raise ValueError("basket_column and item_column apply to a path or a DataFrame")
            codes, offsets, labels = _baskets(data)
        self._from_codes(codes, offsets, labels)

    @classmethod
    def from_ids(cls, ids, offsets):
        """A dataset of baskets of non-negative integer ids: basket b holds
        ids[offsets[b]:offsets[b + 1]]. labels[item] is the item's id."""
        dataset = cls.__new__(cls)
        dataset.handle = ctypes.c_void_p()
        ids = np.ascontiguousarray(ids, dtype=np.uint32)
        offsets = np.ascontiguousarray(offsets, dtype=np.uint64)
        error = Error()
        check(lib.fimbit_dataset_from_ids(
            ids.ctypes.data_as(c_uint32_p), offsets.ctypes.data_as(c_uint64_p), len(offsets) - 1,
            ctypes.byref(dataset.handle), ctypes.byref(error)), error)
        dataset.labels = [int(lib.fimbit_dataset_item_name(dataset.handle, item))
                          for item in range(lib.fimbit_dataset_item_count(dataset.handle))]
        return dataset

    def _read(self, path, basket_column, item_column, threads):
        options = ReadOptions()
        lib.fimbit_read_options_init(ctypes.byref(options))
        options.threads = threads
        if basket_column is not None or item_column is not None:
            if basket_column is None or item_column is None:
                raise ValueError("give both basket_column and item_column, or neither")
            options.format = 3  # FIMBIT_INPUT_CSV
            options.basket_column = str(basket_column).encode()
            options.item_column = str(item_column).encode()
        paths = (ctypes.c_char_p * 1)(path)
        error = Error()
        check(lib.fimbit_dataset_read(paths, 1, ctypes.byref(options), ctypes.byref(self.handle),
                                      ctypes.byref(error)), error)
        self.labels = [lib.fimbit_dataset_item_name(self.handle, item).decode("utf-8", "replace")
                       for item in range(lib.fimbit_dataset_item_count(self.handle))]

    def _from_codes(self, codes, offsets, labels):
        """Baskets as item codes (indexes into `labels`): basket b holds
        codes[offsets[b]:offsets[b + 1]]. The library sees each code's decimal
        text as the item's name."""
        encoded = [str(code).encode() for code in range(len(labels))]
        names = (ctypes.c_char_p * max(len(codes), 1))(*map(encoded.__getitem__, codes))
        offsets = np.ascontiguousarray(offsets, dtype=np.uint64)
        error = Error()
        check(lib.fimbit_dataset_from_baskets(
            names, offsets.ctypes.data_as(ctypes.POINTER(ctypes.c_uint64)), len(offsets) - 1,
            ctypes.byref(self.handle), ctypes.byref(error)), error)
        self.labels = [labels[int(lib.fimbit_dataset_item_name(self.handle, item))]
                       for item in range(lib.fimbit_dataset_item_count(self.handle))]

    def mine_canonical(self, options):
        """Mines with `options` (a MineOptions). @return the itemsets in
        canonical order as arrays: itemset i holds the dataset items
        items[offsets[i]:offsets[i + 1]] and is in counts[i] baskets."""
        result = ctypes.c_void_p()
        error = Error()
        check(lib.fimbit_mine_itemsets(self.handle, ctypes.byref(options), ctypes.byref(result),
                                       ctypes.byref(error)), error)
        try:
            lib.fimbit_itemsets_sort(result)
            count = lib.fimbit_itemsets_count(result)
            items = np.empty(lib.fimbit_itemsets_item_total(result), dtype=np.uint32)
            offsets = np.empty(count + 1, dtype=np.uint64)
            counts = np.empty(count, dtype=np.uint64)
            lib.fimbit_itemsets_export(result, items.ctypes.data_as(c_uint32_p),
                                       offsets.ctypes.data_as(c_uint64_p),
                                       counts.ctypes.data_as(c_uint64_p))
        finally:
            lib.fimbit_itemsets_free(result)
        return items, offsets, counts

    @property
    def basket_count(self):
        return lib.fimbit_dataset_basket_count(self.handle)

    def close(self):
        lib.fimbit_dataset_free(self.handle)
        self.handle = ctypes.c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.close()


def frozensets(items, offsets, labels):
    """The frozensets of labels[item] for the items of every itemset i,
    items[offsets[i]:offsets[i + 1]]."""
    named = [labels[item] for item in items.tolist()]
    bounds = offsets.tolist()
    return [frozenset(named[start:end]) for start, end in zip(bounds, bounds[1:])]


def _baskets(data):
    """A list (any iterable) of baskets, each an iterable of hashable items."""
    index = {}
    codes = []
    offsets = [0]
    for basket in data:
        if isinstance(basket, (str, bytes)):
            raise TypeError("a basket must be a collection of items, not a string: "
                            f"{basket!r}")
        for item in basket:
            code = index.get(item)
            if code is None:
                code = index[item] = len(index)
            codes.append(code)
        offsets.append(len(codes))
    return codes, offsets, list(index)


def _one_hot_frame(frame):
    """mlxtend's input: a row per basket, a bool (or 0/1) column per item."""
    try:
        rows, columns = one_hot_cells(frame)
    except ValueError as error:
        raise ValueError(f"{error}; for a long (basket, item) DataFrame name its columns "
                         "with basket_column= and item_column=") from None
    return columns.tolist(), basket_offsets(rows, len(frame)), list(frame.columns)


def basket_offsets(rows, basket_count):
    """Where each basket starts among cells sorted by row, and where the last ends."""
    return np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=basket_count))))


def one_hot_cells(frame):
    """The (row, column) positions of the set cells of a one-hot DataFrame,
    dense or sparse (pandas SparseDtype columns), ordered by row and then by
    column. Cells hold True/False or 0/1; anything else (NaN included) raises
    ValueError, with mlxtend's wording."""
    if not any(isinstance(dtype, pd.SparseDtype) for dtype in frame.dtypes):
        values = frame.to_numpy()
        if values.dtype != bool:
            _check_binary(values)
        return np.nonzero(values)
    row_parts, column_parts = [], []
    for column, (_, series) in enumerate(frame.items()):
        rows = _sparse_set_rows(series.array) if isinstance(series.dtype, pd.SparseDtype) \
            else np.nonzero(_binary(series.to_numpy()))[0]
        row_parts.append(rows)
        column_parts.append(np.full(len(rows), column, dtype=np.int64))
    rows = np.concatenate(row_parts) if row_parts else np.empty(0, dtype=np.int64)
    columns = np.concatenate(column_parts) if column_parts else np.empty(0, dtype=np.int64)
    order = np.argsort(rows, kind="stable")  # columns stay in order within a row
    return rows[order], columns[order]


def _sparse_set_rows(array):
    """The rows of a pandas SparseArray that hold 1 (or True)."""
    if _binary(np.array([array.fill_value])).any():
        return np.nonzero(_binary(np.asarray(array)))[0]
    stored = _binary(array.sp_values)
    return array.sp_index.to_int_index().indices[stored.astype(bool)].astype(np.int64)


def _binary(values):
    if values.dtype != bool:
        _check_binary(values)
    return values


def _check_binary(values):
    if pd.isna(values).any():
        raise ValueError("NaN values are not permitted in the DataFrame when "
                         "null_values=False.")
    wrong = ~np.isin(values, (0, 1))
    if wrong.any():
        raise ValueError("The allowed values for a DataFrame are True, False, 0, 1. "
                         f"Found value {values[wrong][0]}")


def _long_frame(frame, basket_column, item_column):
    """A row per (basket, item) pair, like an order-lines export."""
    for column in (basket_column, item_column):
        if column not in frame.columns:
            raise KeyError(f"no column {column!r} in the DataFrame")
    baskets, _ = pd.factorize(frame[basket_column])
    items, labels = pd.factorize(frame[item_column])
    keep = (baskets >= 0) & (items >= 0)  # rows with a missing basket or item
    baskets, items = baskets[keep], items[keep]
    order = np.argsort(baskets, kind="stable")
    basket_count = int(baskets.max()) + 1 if len(baskets) else 0
    offsets = np.concatenate(([0], np.cumsum(np.bincount(baskets, minlength=basket_count))))
    return items[order].tolist(), offsets, list(labels)

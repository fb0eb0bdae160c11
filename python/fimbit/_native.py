"""ctypes declarations of libfimbit.so's public API (include/fimbit.h).

The library is found through $FIMBIT_LIBRARY (a path), else the copy that
`pip install` built into the package, else the dynamic loader's search path
(libfimbit.so.0, as `cmake --install` puts it).
"""
import ctypes
import os

c_uint32_p = ctypes.POINTER(ctypes.c_uint32)
c_uint64_p = ctypes.POINTER(ctypes.c_uint64)
c_double_p = ctypes.POINTER(ctypes.c_double)


class FimbitError(Exception):
    """A failed library call: `status` is the status name ("EPARSE", "EIO",
    ...) and the message is the library's own, with file:line:column for
    malformed input."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class InvalidArgumentError(FimbitError, ValueError):
    """A FimbitError with status EINVAL: an argument the library rejects (a
    min_confidence of 2), so also a ValueError like the binding's own checks."""


class Error(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("message", ctypes.c_char * 512),
                ("file", ctypes.c_char * 256), ("line", ctypes.c_uint64),
                ("column", ctypes.c_uint64)]


class ReadOptions(ctypes.Structure):
    _fields_ = [("format", ctypes.c_int), ("separator", ctypes.c_char),
                ("basket_column", ctypes.c_char_p), ("item_column", ctypes.c_char_p),
                ("header", ctypes.c_int), ("threads", ctypes.c_int),
                ("basket_keys", ctypes.c_int)]


class MineOptions(ctypes.Structure):
    _fields_ = [("min_count", ctypes.c_uint64), ("min_support", ctypes.c_double),
                ("target", ctypes.c_int), ("algorithm", ctypes.c_int),
                ("min_size", ctypes.c_uint32), ("max_size", ctypes.c_uint32),
                ("threads", ctypes.c_int)]


c_char_pp = ctypes.POINTER(ctypes.c_char_p)

# fimbit_measure's extra measures, in the order of the enum (and of the
# writers' fields); the index is the measure's bit in RuleOptions.measures.
MEASURES = ["antecedent_support", "consequent_support", "jaccard", "kulczynski", "certainty",
            "zhangs_metric", "cosine", "improvement", "p_value"]


class RuleOptions(ctypes.Structure):
    _fields_ = [("mine", MineOptions), ("min_confidence", ctypes.c_double),
                ("min_lift", ctypes.c_double), ("max_consequent", ctypes.c_uint32),
                ("antecedent_items", c_char_pp), ("antecedent_item_count", ctypes.c_size_t),
                ("consequent_items", c_char_pp), ("consequent_item_count", ctypes.c_size_t),
                ("exclude_items", c_char_pp), ("exclude_item_count", ctypes.c_size_t),
                ("measures", ctypes.c_uint32), ("min_improvement", ctypes.c_double),
                ("non_redundant", ctypes.c_int), ("max_p", ctypes.c_double),
                ("p_adjust", ctypes.c_int)]


class Rule(ctypes.Structure):
    _fields_ = [("antecedent", c_uint32_p), ("antecedent_size", ctypes.c_uint32),
                ("consequent", c_uint32_p), ("consequent_size", ctypes.c_uint32),
                ("count", ctypes.c_uint64), ("support", ctypes.c_double),
                ("confidence", ctypes.c_double), ("lift", ctypes.c_double),
                ("leverage", ctypes.c_double), ("conviction", ctypes.c_double)] + \
        [(name, ctypes.c_double) for name in MEASURES]


class Recommendation(ctypes.Structure):
    _fields_ = [("item", ctypes.c_uint32), ("confidence", ctypes.c_double),
                ("lift", ctypes.c_double)]


class RfmOptions(ctypes.Structure):
    _fields_ = [("customer_column", ctypes.c_char_p), ("order_column", ctypes.c_char_p),
                ("date_column", ctypes.c_char_p), ("amount", ctypes.c_char_p),
                ("date_format", ctypes.c_char_p), ("as_of", ctypes.c_char_p),
                ("bins", ctypes.c_uint32), ("separator", ctypes.c_char),
                ("threads", ctypes.c_int)]


class RfmCustomer(ctypes.Structure):
    _fields_ = [("customer", ctypes.c_char_p), ("recency", ctypes.c_int64),
                ("frequency", ctypes.c_uint64), ("monetary_text", ctypes.c_char_p),
                ("monetary", ctypes.c_double), ("r", ctypes.c_uint32), ("f", ctypes.c_uint32),
                ("m", ctypes.c_uint32), ("segment", ctypes.c_char_p)]


_P = ctypes.c_void_p
_ERR = ctypes.POINTER(Error)
_STATUS = ctypes.c_int

# name: (return type, argument types)
_SIGNATURES = {
    "fimbit_version": (ctypes.c_char_p, []),
    "fimbit_status_name": (ctypes.c_char_p, [ctypes.c_int]),
    "fimbit_read_options_init": (None, [ctypes.POINTER(ReadOptions)]),
    "fimbit_dataset_read": (_STATUS, [ctypes.POINTER(ctypes.c_char_p), ctypes.c_size_t,
                                      ctypes.POINTER(ReadOptions), ctypes.POINTER(_P), _ERR]),
    "fimbit_dataset_from_baskets": (_STATUS, [ctypes.POINTER(ctypes.c_char_p),
                                              ctypes.POINTER(ctypes.c_uint64), ctypes.c_uint64,
                                              ctypes.POINTER(_P), _ERR]),
    "fimbit_dataset_from_ids": (_STATUS, [c_uint32_p, c_uint64_p, ctypes.c_uint64,
                                          ctypes.POINTER(_P), _ERR]),
    "fimbit_dataset_free": (None, [_P]),
    "fimbit_dataset_basket_count": (ctypes.c_uint64, [_P]),
    "fimbit_dataset_item_count": (ctypes.c_uint32, [_P]),
    "fimbit_dataset_item_name": (ctypes.c_char_p, [_P, ctypes.c_uint32]),
    "fimbit_mine_options_init": (None, [ctypes.POINTER(MineOptions)]),
    "fimbit_mine_itemsets": (_STATUS, [_P, ctypes.POINTER(MineOptions), ctypes.POINTER(_P),
                                       _ERR]),
    "fimbit_itemsets_free": (None, [_P]),
    "fimbit_itemsets_sort": (None, [_P]),
    "fimbit_itemsets_count": (ctypes.c_size_t, [_P]),
    "fimbit_itemsets_get": (_STATUS, [_P, ctypes.c_size_t, ctypes.POINTER(c_uint32_p),
                                      ctypes.POINTER(ctypes.c_uint32),
                                      ctypes.POINTER(ctypes.c_uint64)]),
    "fimbit_rule_options_init": (None, [ctypes.POINTER(RuleOptions)]),
    "fimbit_mine_rules": (_STATUS, [_P, ctypes.POINTER(RuleOptions), ctypes.POINTER(_P), _ERR]),
    "fimbit_rules_free": (None, [_P]),
    "fimbit_rules_sort": (None, [_P]),
    "fimbit_rules_count": (ctypes.c_size_t, [_P]),
    "fimbit_rules_get": (_STATUS, [_P, ctypes.c_size_t, ctypes.POINTER(Rule)]),
    "fimbit_recommender_create": (_STATUS, [ctypes.POINTER(_P), _ERR]),
    "fimbit_recommender_free": (None, [_P]),
    "fimbit_recommender_add_rule": (_STATUS, [_P, ctypes.POINTER(ctypes.c_char_p),
                                              ctypes.c_uint32, ctypes.POINTER(ctypes.c_char_p),
                                              ctypes.c_uint32, ctypes.c_double, ctypes.c_double,
                                              _ERR]),
    "fimbit_recommender_read_rules": (_STATUS, [_P, ctypes.c_char_p, _ERR]),
    "fimbit_recommender_item_name": (ctypes.c_char_p, [_P, ctypes.c_uint32]),
    "fimbit_recommender_rule_count": (ctypes.c_size_t, [_P]),
    "fimbit_recommend_names": (_STATUS, [_P, ctypes.POINTER(ctypes.c_char_p), ctypes.c_size_t,
                                         ctypes.c_int, ctypes.c_size_t,
                                         ctypes.POINTER(Recommendation),
                                         ctypes.POINTER(ctypes.c_size_t), _ERR]),
    "fimbit_itemsets_item_total": (ctypes.c_uint64, [_P]),
    "fimbit_itemsets_export": (None, [_P, c_uint32_p, c_uint64_p, c_uint64_p]),
    "fimbit_support_table_create": (_STATUS, [c_uint32_p, c_uint64_p, ctypes.c_size_t,
                                              c_double_p, c_uint64_p, ctypes.c_uint64,
                                              ctypes.POINTER(_P), _ERR]),
    "fimbit_support_table_free": (None, [_P]),
    "fimbit_support_table_rules": (_STATUS, [_P, ctypes.c_int, ctypes.c_double, ctypes.c_int,
                                             ctypes.POINTER(_P), _ERR]),
    "fimbit_rfm_options_init": (None, [ctypes.POINTER(RfmOptions)]),
    "fimbit_rfm_compute": (_STATUS, [ctypes.POINTER(ctypes.c_char_p), ctypes.c_size_t,
                                     ctypes.POINTER(RfmOptions), ctypes.POINTER(_P), _ERR]),
    "fimbit_rfm_free": (None, [_P]),
    "fimbit_rfm_customer_count": (ctypes.c_size_t, [_P]),
    "fimbit_rfm_get": (_STATUS, [_P, ctypes.c_size_t, ctypes.POINTER(RfmCustomer)]),
    "fimbit_table_rules_free": (None, [_P]),
    "fimbit_table_rules_count": (ctypes.c_size_t, [_P]),
    "fimbit_table_rules_export": (None, [_P, c_uint64_p, c_uint64_p, c_uint64_p, c_uint64_p,
                                         c_double_p]),
}


def _load():
    path = os.environ.get("FIMBIT_LIBRARY")
    bundled = os.path.join(os.path.dirname(os.path.abspath(__file__)), "libfimbit.so.0")
    if path:
        names = [path]
    elif os.path.exists(bundled):
        names = [bundled]  # the library `pip install` built into the package
    else:
        names = ["libfimbit.so.0", "libfimbit.so"]
    failures = []
    for name in names:
        try:
            library = ctypes.CDLL(name)
            break
        except OSError as error:
            failures.append(str(error))
    else:
        raise ImportError("fimbit: cannot load the fimbit library (install the package with "
                          "`pip install ./python`, or the library with `cmake --install`, "
                          "or set FIMBIT_LIBRARY to libfimbit.so): "
                          + "; ".join(failures))
    for function, (result, arguments) in _SIGNATURES.items():
        entry = getattr(library, function)
        entry.restype = result
        entry.argtypes = arguments
    return library


lib = _load()


def check(status, error):
    """Raises FimbitError with the library's message when `status` is not OK
    (InvalidArgumentError, a ValueError too, for EINVAL)."""
    if status != 0:
        name = lib.fimbit_status_name(status).decode()
        message = error.message.decode("utf-8", "replace") or name
        raise (InvalidArgumentError if name == "EINVAL" else FimbitError)(name, message)

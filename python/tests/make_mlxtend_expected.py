"""Writes data/mlxtend_expected.json: what mlxtend 0.25 returns for the cases
of mlxtend_cases.py. Run by hand, once, with Debian's python3 and pandas:

    /usr/bin/python3 python/tests/make_mlxtend_expected.py /path/to/mlxtend-checkout

(a checkout of rasbt/mlxtend at v0.25.0; its frequent_patterns needs pandas
and numpy, and imports joblib, which it uses only for apriori's n_jobs > 1).
Nothing of mlxtend is kept but its results."""
import json
import os
import sys

import numpy as np
import pandas as pd

import mlxtend_cases as cases


def item_value(item):
    return int(item) if isinstance(item, np.integer) else item


def item_list(itemset):
    return sorted((item_value(item) for item in itemset), key=repr)


def frame_record(frame, set_columns):
    """A frame as JSON: its columns, dtypes, index class and rows (sets as
    sorted lists, floats exactly: json writes them with repr)."""
    first = next((s for s in frame[set_columns[0]]), None) if len(frame) else None
    rows = []
    for row in frame.itertuples(index=False):
        rows.append([item_list(value) if name in set_columns else float(value)
                     for name, value in zip(frame.columns, row)])
    return {"columns": list(frame.columns), "dtypes": [str(d) for d in frame.dtypes],
            "index": type(frame.index).__name__, "index_dtype": str(frame.index.dtype),
            "item_type": type(next(iter(first))).__name__ if first else None,
            "rows": rows}


def main():
    sys.path.insert(0, sys.argv[1])
    import mlxtend
    import mlxtend.frequent_patterns as mlx
    frames = {}
    record = {"mlxtend": mlxtend.__version__, "pandas": pd.__version__, "itemsets": {},
              "rules": {}}
    for name, function, source, arguments in cases.ITEMSETS:
        data = cases.load(source)
        if data is None:
            print(f"skipped {name}: no input {source}")
            continue
        frame = getattr(mlx, function)(data, **arguments)
        frames[name] = (frame, len(data))
        record["itemsets"][name] = frame_record(frame, ["itemsets"])
        print(f"{name}: {len(frame)} itemsets")
    for name, itemsets, arguments in cases.RULES:
        if itemsets not in frames:
            continue
        frame, rows = frames[itemsets]
        rules = mlx.association_rules(frame, **cases.rule_arguments(arguments, rows))
        record["rules"][name] = frame_record(rules, ["antecedents", "consequents"])
        print(f"{name}: {len(rules)} rules")
    with open(cases.EXPECTED, "w") as out:
        json.dump(record, out, separators=(",", ":"))
        out.write("\n")
    print(f"wrote {cases.EXPECTED} ({os.path.getsize(cases.EXPECTED)} bytes)")


if __name__ == "__main__":
    main()

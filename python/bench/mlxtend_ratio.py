"""fimbit.frequent_patterns against mlxtend on the same one-hot frame:
fpgrowth + association_rules on the first 50,000 baskets of T10I4D100K at
min_support 0.005 (default confidence 0.8), best of --runs runs each, and the
ratio of the medians. A benchmark, not a test: run it by hand.

    /usr/bin/python3 python/bench/mlxtend_ratio.py --mlxtend /path/to/mlxtend/checkout

mlxtend is imported from --mlxtend (a checkout of rasbt/mlxtend; its
frequent_patterns needs pandas and numpy alone), or from the installed
packages. fimbit is this checkout's python/ package (FIMBIT_LIBRARY, or the
library that `pip install` put in it).
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))


def one_hot(path, baskets):
    """The first `baskets` lines of a FIMI file as a bool frame, a column per
    item id (as strings), in id order."""
    rows = []
    with open(path) as lines:
        for line in lines:
            if len(rows) == baskets:
                break
            rows.append([int(item) for item in line.split()])
    items = sorted({item for row in rows for item in row})
    column = {item: position for position, item in enumerate(items)}
    cells = np.zeros((len(rows), len(items)), dtype=bool)
    for r, row in enumerate(rows):
        cells[r, [column[item] for item in row]] = True
    return pd.DataFrame(cells, columns=[str(item) for item in items])


def timed(module, frame, min_support):
    start = time.perf_counter()
    itemsets = module.fpgrowth(frame, min_support=min_support, use_colnames=True)
    rules = module.association_rules(itemsets, num_itemsets=len(frame))
    return time.perf_counter() - start, itemsets, rules


def rows_of(itemsets, rules):
    return (set(zip(itemsets["itemsets"], itemsets["support"].round(12))),
            set(zip(rules["antecedents"], rules["consequents"])))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mlxtend", help="a checkout of rasbt/mlxtend to import from")
    parser.add_argument("--data", default=os.path.join(
        os.environ.get("FIMBIT_DATASETS", os.path.join(SOURCE, "..", "shared", "datasets")),
        "T10I4D100K.dat"))
    parser.add_argument("--baskets", type=int, default=50000)
    parser.add_argument("--min-support", type=float, default=0.005)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    if arguments.mlxtend:
        sys.path.insert(0, arguments.mlxtend)
    sys.path.insert(0, os.path.join(SOURCE, "python"))
    import fimbit.frequent_patterns as fast
    import mlxtend.frequent_patterns as slow

    frame = one_hot(arguments.data, arguments.baskets)
    print(f"{os.path.basename(arguments.data)}: first {len(frame)} baskets, {frame.shape[1]} "
          f"items, min_support {arguments.min_support}, fpgrowth + association_rules "
          f"(confidence >= 0.8), {arguments.runs} runs each")
    times = {}
    results = {}
    for name, module in (("fimbit", fast), ("mlxtend", slow)):
        runs = [timed(module, frame, arguments.min_support) for _ in range(arguments.runs)]
        times[name] = statistics.median(run[0] for run in runs)
        results[name] = rows_of(*runs[0][1:])
        print(f"{name:8s} median {times[name]:8.3f} s  ({len(runs[0][1])} itemsets, "
              f"{len(runs[0][2])} rules; runs: {', '.join(f'{r[0]:.3f}' for r in runs)})")
    if results["fimbit"] != results["mlxtend"]:
        print("RESULTS DIFFER")
        return 1
    print(f"same itemsets and rules; fimbit is {times['mlxtend'] / times['fimbit']:.1f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""An independent RFM computation for tests/e2e/test_rfm.sh: reads order
lines (the header of `fimbit gen --format orders`) and prints what
`fimbit rfm -f csv` must print, with exact decimal sums and the scores of
the issue's definition, counted pair by pair (quadratic: small inputs only).

usage: rfm_oracle.py ORDERS.csv BINS [AS_OF]"""
import csv
import datetime
import decimal
import sys

SEGMENTS = {}
for r in range(1, 6):
    for f in range(1, 6):
        if r <= 2:
            s = "hibernating" if f <= 2 else "at_risk" if f <= 4 else "cant_lose"
        elif r == 3:
            s = "about_to_sleep" if f <= 2 else "need_attention" if f == 3 else "loyal_customers"
        elif f == 1:
            s = "promising" if r == 4 else "new_customers"
        elif f <= 3:
            s = "potential_loyalists"
        else:
            s = "loyal_customers" if r == 4 else "champions"
        SEGMENTS[(r, f)] = s


def main():
    path, bins = sys.argv[1], int(sys.argv[2])
    customers = {}  # insertion order = first appearance
    latest_overall = None
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            customer = row["CustomerID"]
            if customer == "":
                continue
            day = datetime.date.fromisoformat(row["InvoiceDate"][:10])
            amount = decimal.Decimal(row["Quantity"]) * decimal.Decimal(row["UnitPrice"])
            c = customers.setdefault(customer, {"latest": day, "orders": set(),
                                                "money": decimal.Decimal(0)})
            c["latest"] = max(c["latest"], day)
            c["orders"].add(row["InvoiceNo"])
            c["money"] += amount
            latest_overall = day if latest_overall is None else max(latest_overall, day)
    if len(sys.argv) > 3:
        as_of = datetime.date.fromisoformat(sys.argv[3])
    else:
        as_of = latest_overall + datetime.timedelta(days=1)
    values = [(name, (as_of - c["latest"]).days, len(c["orders"]), c["money"])
              for name, c in customers.items()]
    n = len(values)

    def score(better_than):
        return 1 + bins * better_than // n

    print("customer,recency,frequency,monetary,r,f,m,segment")
    for name, recency, frequency, money in values:
        r = score(sum(1 for v in values if v[1] > recency))
        f = score(sum(1 for v in values if v[2] < frequency))
        m = score(sum(1 for v in values if v[3] < money))
        text = format(money.normalize(), "f") if money != 0 else "0"
        segment = SEGMENTS[(r, f)] if bins == 5 else ""
        print(f"{name},{recency},{frequency},{text},{r},{f},{m},{segment}")


main()

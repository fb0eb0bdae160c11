#!/usr/bin/env bash
# fimbit report: one self-contained HTML page. Checked as text (every rule a
# row and a dot, nothing loaded from elsewhere, names escaped, errors), then
# rendered in headless Chromium when it is installed: the script runs without
# console errors, the DOM holds every rule, filtering and sorting work,
# hovering a dot shows its rule, and a screenshot is taken. Without Chromium
# the rendering checks are skipped and say so.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

groceries="$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
expected=$("$FIMBIT_BINARY" rules -s 0.5% -c 0.3 -f jsonl "$groceries" | wc -l)
report="$work/report.html"

run report -s 0.5% -c 0.3 -o "$report" "$groceries"
expect_ok "report"
expect_grep "an HTML page" '^<!DOCTYPE html>$' "$report"
rows=$(grep -c '<tr class="rule"' "$report" || true)
dots=$(grep -c '<circle data-i=' "$report" || true)
if [ "$rows" -eq "$expected" ] && [ "$dots" -eq "$expected" ]; then pass; else
  fail "a row and a dot per rule: $rows rows, $dots dots, $expected rules"
fi
expect_grep "the rule count" "<b id=\"rule-count\">$expected</b>" "$report"
expect_grep "the strongest rule first" \
  '<tr class="rule" data-i="0"><td class="num">1</td><td>root vegetables, tropical fruit, yogurt</td><td>whole milk</td>' \
  "$report"
expect_grep "the item chart" '<title>whole milk: 2513 baskets' "$report"
expect_grep "the length histogram" '<title>1 items: 2159 baskets' "$report"
# Self-contained: no address, stylesheet, script or font from elsewhere.
expect_no_grep "no external references" '(src|href)=|<link|@import|https?://|url\([^#]' "$report"

run report -s 0.5% -c 0.3 --top 10 "$groceries"
expect_ok "report --top 10 to standard output"
rows=$(grep -c '<tr class="rule"' "$work/stdout" || true)
if [ "$rows" -eq 10 ]; then pass; else fail "--top 10 lists $rows rules"; fi
expect_grep "--top says how many there are" "The 10 strongest of $expected rules" "$work/stdout"

# Item names are escaped wherever they appear.
printf '%s\n' '<b>bold</b>,a&b' '<b>bold</b>,a&b' "it's,\"q\"" >"$work/awkward.csv"
run report -s 2 -c 0.5 --input-format basket "$work/awkward.csv"
expect_ok "awkward names"
expect_no_grep "no raw markup from item names" '<b>bold' "$work/stdout"
expect_grep "escaped names" '&lt;b&gt;bold&lt;/b&gt;' "$work/stdout"

# The title names the input file, and standard input by any of its names
# the same (/dev/stdin was titled "stdin", /dev/fd/0 "0"), from a redirected
# file or a pipe; the redirected file named by its own path keeps its name.
for name in - /dev/stdin /dev/fd/0 /proc/self/fd/0; do
  run_stdin "$groceries" report -q -s 2% -c 0.3 "$name"
  expect_ok "report of $name"
  expect_grep "$name is titled standard input" '<title>fimbit report: standard input</title>' \
    "$work/stdout"
done
cat "$groceries" | "$FIMBIT_BINARY" report -q -s 2% -c 0.3 -o "$work/piped.html" /dev/stdin
expect_grep "/dev/stdin on a pipe is titled standard input" \
  '<title>fimbit report: standard input</title>' "$work/piped.html"
cp "$groceries" "$work/groceries.csv"
run_stdin "$work/groceries.csv" report -q -s 2% -c 0.3 "$work/groceries.csv"
expect_grep "the redirected file by its own name" '<title>fimbit report: groceries.csv</title>' \
  "$work/stdout"

run report -s 99% "$groceries" -o "$work/empty.html"
expect_rc "no rules: still a page" 0
expect_grep "no rules: warned" 'no strong rules' "$work/stderr"
expect_grep "no rules: count 0" '<b id="rule-count">0</b>' "$work/empty.html"

run report -s 1% "$work/missing.csv" -o "$work/never.html"
expect_rc "missing input" 1
expect_absent "no page after a failure" "$work/never.html"
run report -f csv "$groceries"
expect_rc "report has no --format" 2
run report --sort "$groceries"
expect_rc "report has no --sort" 2

# --- what the page says --------------------------------------------------------
# Every cell of the table is the rule's own value (`fimbit rules -f jsonl`,
# same options, same order) printed as its header says; the heading names
# every option that shaped the rules and the date (SOURCE_DATE_EPOCH, so a
# page can be made again byte for byte); the notes say which rules are shown
# and how to get the others.
shaped=(-s 0.3% -c 0.2 --consequent-items 'whole milk,other vegetables' --max-consequent 2 -n 3
        --non-redundant --by lift --measures all)
SOURCE_DATE_EPOCH=86400 run report "${shaped[@]}" --top 40 -o "$work/shaped.html" "$groceries"
expect_ok "report with filters and a ranking"
shaped_total=$("$FIMBIT_BINARY" rules "${shaped[@]}" -f jsonl "$groceries" | wc -l)
"$FIMBIT_BINARY" rules "${shaped[@]}" --top 40 -f jsonl -o "$work/shaped.jsonl" "$groceries"
/usr/bin/python3 - "$work/shaped.html" "$work/shaped.jsonl" "$shaped_total" \
  >"$work/shaped_check" 2>&1 <<'PYTHON' && pass || { fail "report cells against rules -f jsonl"; cat "$work/shaped_check" >&2; }
import json, math, sys
from html.parser import HTMLParser

class Table(HTMLParser):
    """The rule table: its header keys, and each row's cells as (data-v, text)."""
    def __init__(self):
        super().__init__()
        self.keys, self.rows, self.cell = [], [], None
    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "th" and "data-key" in attributes:
            self.keys.append(attributes["data-key"])
        elif tag == "tr" and attributes.get("class") == "rule":
            self.rows.append([])
        elif tag == "td" and self.rows:
            self.cell = [attributes.get("data-v"), ""]
    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.rows[-1].append(tuple(self.cell))
            self.cell = None
    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data

page = open(sys.argv[1], encoding="utf-8").read()
table = Table()
table.feed(page)
rules = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
assert f'<b id="rule-count">{sys.argv[3]}</b>' in page, "the rule count"
assert len(table.rows) == len(rules) == 40, f"{len(table.rows)} rows, {len(rules)} rules"
shown = {"support": lambda v: f"{100 * v:.3f}%", "confidence": lambda v: f"{100 * v:.1f}%",
         "lift": lambda v: f"{v:.3f}", "leverage": lambda v: f"{v:.5f}",
         "conviction": lambda v: "\u221e" if v >= 1e308 else f"{v:.3f}", "count": lambda v: f"{v:.0f}"}
for n, (row, rule) in enumerate(zip(table.rows, rules)):
    cells = dict(zip(table.keys, row))
    assert cells["rank"][1] == str(n + 1)
    assert cells["antecedent"][1] == ", ".join(rule["antecedent"]), (n, cells, rule)
    assert cells["consequent"][1] == ", ".join(rule["consequent"]), (n, cells, rule)
    for key in table.keys[3:]:
        value, text = float(cells[key][0]), cells[key][1]
        expected = rule[key]
        if not (key == "conviction" and value >= 1e308):
            assert float(f"{value:.6g}") == expected, (n, key, value, expected)
        assert text == shown.get(key, lambda v: f"{v:.4g}")(value), (n, key, text)
print("ok")
PYTHON
expect_grep "the heading names the filters" \
  'min confidence 0.2 · at most 3 items in a rule · up to 2 items on the right · consequent items: whole milk, other vegetables · non-redundant · ranked by lift</p>' \
  "$work/shaped.html"
expect_grep "the heading dates the page" '<p>fimbit [0-9.]+ · 1970-01-02 00:00 UTC</p></header>' \
  "$work/shaped.html"
expect_grep "the table says what it shows" \
  "The 40 best of $shaped_total rules by lift\\. <code>--top N</code> lists more" "$work/shaped.html"
expect_grep "the chart says what it shows" 'A dot per rule \(the 40 best by lift\)' "$work/shaped.html"
run report -s 0.3% -c 0.5 --min-lift 2 --by conviction "$groceries"
expect_grep "every rule by a measure" 'Every strong rule, best first by conviction\.' "$work/stdout"
expect_grep "every rule plotted" 'A dot per rule \(all [0-9]+\)' "$work/stdout"
expect_no_grep "no strongest when ranked by another measure" 'strongest' "$work/stdout"

# A long name is cut between UTF-8 characters, never inside one; a one-basket
# threshold reads "1 basket"; the count axis has no tick between integers;
# the density card is the one fimbit info prints.
awkward_utf8="a$(printf 'é%.0s' $(seq 30))"
printf '%s x\n%s x\nb\n' "$awkward_utf8" "$awkward_utf8" >"$work/utf8.txt"
run report -s 1 -c 0.5 --input-format basket "$work/utf8.txt"
expect_ok "a long UTF-8 name"
if /usr/bin/python3 -c 'import sys; open(sys.argv[1], encoding="utf-8").read()' "$work/stdout"; then
  pass; else fail "the page is valid UTF-8"; fi
expect_grep "the cut name" ">a$(printf 'é%.0s' $(seq 23))…</text>" "$work/stdout"
expect_grep "one basket" 'min support 1 basket \(' "$work/stdout"
ticks=$(sed -n '/<svg id="lengths"/,/<\/svg>/p' "$work/stdout" | grep -o 'text-anchor="end">[^<]*<' || true)
if [ "$ticks" = "$(printf 'text-anchor="end">%s<\n' 0 1 2)" ]; then pass; else
  fail "the length chart's ticks: $ticks"
fi
printf '%s\n' a b c d e f g >"$work/seven.txt"
run report -s 1 --input-format basket "$work/seven.txt"
density=$("$FIMBIT_BINARY" info --input-format basket "$work/seven.txt" | awk '$1 == "density" { print $2 }')
expect_grep "the density as fimbit info prints it" "<b>$density</b><span>density</span>" "$work/stdout"

# Length bins with wide labels ("51-100") are labelled in staggered rows, so
# that neighbours in a row do not overlap.
/usr/bin/python3 -c '
for length in list(range(1, 11)) + [15, 30, 60]:
    print(" ".join(f"i{n}" for n in range(length)))' >"$work/lengths.txt"
run report -s 1 -c 0.9 -n 2 --input-format basket -o "$work/lengths.html" "$work/lengths.txt"
/usr/bin/python3 - "$work/lengths.html" >"$work/lengths_check" 2>&1 <<'PYTHON' && pass || { fail "length labels overlap"; cat "$work/lengths_check" >&2; }
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
chart = page[page.index('<svg id="lengths"'):]
chart = chart[:chart.index("</svg>")]
labels = [(float(x), float(y), text) for x, y, text in
          re.findall(r'<text x="([0-9.]+)" y="([0-9.]+)" text-anchor="middle">([^<]*)</text>', chart)
          if text != "items in the basket"]
assert [text for _, _, text in labels][-3:] == ["11-20", "21-50", "51-100"], labels
for row in {y for _, y, _ in labels}:
    in_row = sorted((x, text) for x, y, text in labels if y == row)
    for (x0, a), (x1, b) in zip(in_row, in_row[1:]):
        assert x1 - x0 >= 6.5 * (len(a) + len(b)) / 2, (a, b, x1 - x0)
print("ok")
PYTHON

# No rule: the page says so in place of an empty chart and table.
expect_grep "no rules: said" 'No rule reaches the thresholds and filters above' "$work/empty.html"
expect_no_grep "no rules: no empty chart or table" '<svg id="scatter"|<table' "$work/empty.html"

# A wide page stays usable: long names wrap, printing shows every listed row,
# the filter box shows only when the script runs, a huge --top warns.
expect_grep "long names wrap" 'td\{overflow-wrap:anywhere\}' "$report"
expect_grep "printed in full" '@media print\{.*\.scroll\{max-height:none;overflow:visible' "$report"
expect_grep "no filter box without the script" '<div class="tools" hidden>' "$report"
run report -s 0.05% -c 0.1 --top 25000 -o "$work/heavy.html" "$groceries"
expect_grep "a heavy page warns" 'a page of 25000 rules is slow to open' "$work/stderr"

# --- --group: a page per group in one file ---------------------------------
# The bundled order lines by country: one frame per group, in name order, each
# a whole report of that group's rules, which are `fimbit rules --group`'s
# (every rule up to --top a row); a group with a name to escape; errors.
orders="$FIMBIT_SOURCE_DIR/datasets/orders.csv"
{
  echo "InvoiceNo,StockCode,Country"
  awk -F, 'NR > 1 { print $1 "," $2 "," $7 }
           NR > 1 && $7 == "Norway" { print $1 "," $2 ",\"No<r>\"\"way\"\" & co\"" }' "$orders"
} >"$work/orders.csv"
group_args=(--columns InvoiceNo,StockCode --group Country -s 5% -c 0.3 --top 300)
run rules --columns InvoiceNo,StockCode --group Country -s 5% -c 0.3 -f csv -o "$work/group_rules.csv" \
  "$work/orders.csv"
expect_ok "group rules for the report"
run report "${group_args[@]}" -o "$work/groups.html" "$work/orders.csv"
expect_ok "report --group"
/usr/bin/python3 - "$work/groups.html" "$work/group_rules.csv" 300 \
  >"$work/group_check" 2>&1 <<'PYTHON' && pass || { fail "report --group pages"; cat "$work/group_check" >&2; }
import collections, csv, html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
top = int(sys.argv[3])
with open(sys.argv[2], newline="", encoding="utf-8") as rules:
    counts = collections.Counter(row["group"] for row in csv.DictReader(rules))
assert page.startswith("<!DOCTYPE html>\n"), "not an HTML page"
frames = re.findall(r'<iframe class="group" data-group="([^"]*)" title="[^"]*"( hidden)? '
                    r'srcdoc="([^"]*)"></iframe>', page)
names = [html.unescape(name) for name, _, _ in frames]
options = [html.unescape(o) for o in re.findall(r"<option>([^<]*)</option>", page)]
assert names == sorted(counts) and options == names, f"groups {names}, options {options}"
assert 'No<r>"way" & co' in names, "the awkward group name"
assert [hidden for _, hidden, _ in frames] == [""] + [" hidden"] * (len(frames) - 1)
for name, (_, _, source) in zip(names, frames):
    inner = html.unescape(source)
    assert inner.startswith("<!DOCTYPE html>") and inner.endswith("</html>\n"), name
    shown = inner.count('<tr class="rule"')
    assert shown == min(counts[name], top), f"{name}: {shown} rows, {counts[name]} rules"
    assert f'<b id="rule-count">{counts[name]}</b>' in inner, f"{name}: the rule count"
    assert f"group {html.escape(name)}</title>" in inner, f"{name}: the title"
assert not re.search(r"(src|href)=|<link|@import|https?://", page), "an external reference"
PYTHON
run report "${group_args[@]}" --group-min-count 100000 "$work/orders.csv"
expect_rc "report --group, no rules anywhere: still a page" 0
expect_grep "no rules: warned per group" 'no strong rules in group Australia' "$work/stderr"
run report "${group_args[@]/Country/Region}" -o "$work/never.html" "$work/orders.csv"
expect_rc "report --group, no such column" 1
expect_absent "report --group, no page after a failure" "$work/never.html"

# --- rendering --------------------------------------------------------------
chromium_binary=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium_binary" ]; then
  echo "SKIPPED: report rendering checks (chromium is not installed)"
  finish
  exit $?
fi

# render NAME URL ARGS...: runs headless Chromium with a fresh profile and
# prints what it printed; its console messages (CONSOLE lines of
# --enable-logging) land in $work/NAME.log. A browser that dies (seen about
# once in eight runs on a loaded machine) says nothing of the page: it is
# started again, up to three times, with what the dead one printed dropped.
render() {
  local name="$1" url="$2" attempt
  shift 2
  for attempt in 1 2 3; do
    rm -rf "$work/profile-$name"
    if timeout -k 5 120 "$chromium_binary" --headless --no-sandbox --disable-gpu \
      --disable-background-networking --disable-component-update --disable-sync --no-first-run \
      --user-data-dir="$work/profile-$name" --enable-logging=stderr --v=0 "$@" "$url" \
      >"$work/$name.out" 2>"$work/$name.log"; then
      cat "$work/$name.out"
      return 0
    fi
    echo "chromium ($name) failed, attempt $attempt" >&2
  done
  return 1
}

# The console check sees errors: a page that throws is caught.
printf '<!DOCTYPE html><html><body><script>notDefined();</script></body></html>' >"$work/throws.html"
render throws "file://$work/throws.html" --dump-dom >/dev/null || true
expect_grep "the console check catches a page that throws" 'CONSOLE.*Uncaught' "$work/throws.log"

render dom "file://$report" --dump-dom >"$work/dom.html" || fail "chromium --dump-dom"
expect_grep "the script ran" '<body data-ready="yes">' "$work/dom.html"
expect_no_grep "no console messages" 'CONSOLE' "$work/dom.log"

# Filtered and sorted through the address: the DOM keeps every row, hides the
# rest, and the visible ones come by lift, highest first.
render filtered "file://$report#filter=whole%20milk&sort=-lift" --dump-dom >"$work/filtered.html" ||
  fail "chromium --dump-dom, filtered"
expect_no_grep "no console messages (filtered)" 'CONSOLE' "$work/filtered.log"
with_milk=$(grep -c '"whole milk"' < <("$FIMBIT_BINARY" rules -s 0.5% -c 0.3 -f jsonl "$groceries"))
/usr/bin/python3 - "$work/dom.html" "$work/filtered.html" "$expected" "$with_milk" \
  >"$work/dom_check" 2>&1 <<'PYTHON' && pass || { fail "DOM checks"; cat "$work/dom_check" >&2; }
import sys
from html.parser import HTMLParser

class Rows(HTMLParser):
    """Collects the rule rows: hidden or not, and each numeric cell's value."""
    def __init__(self):
        super().__init__()
        self.rows = []
    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "tr" and attributes.get("class") == "rule":
            self.rows.append({"hidden": "hidden" in attributes, "values": []})
        elif tag == "td" and self.rows and "data-v" in attributes:
            self.rows[-1]["values"].append(float(attributes["data-v"]))

def rows_of(path):
    parser = Rows()
    parser.feed(open(path, encoding="utf-8").read())
    return parser.rows

everything, filtered = rows_of(sys.argv[1]), rows_of(sys.argv[2])
expected, with_milk = int(sys.argv[3]), int(sys.argv[4])
assert len(everything) == expected, f"{len(everything)} rows in the DOM, {expected} rules"
assert not any(row["hidden"] for row in everything), "rows hidden without a filter"
assert len(filtered) == expected, "filtering removed rows instead of hiding them"
visible = [row for row in filtered if not row["hidden"]]
assert len(visible) == with_milk, f"{len(visible)} rows shown for 'whole milk', {with_milk} expected"
lifts = [row["values"][2] for row in visible]  # support, confidence, lift, ...
assert lifts == sorted(lifts, reverse=True), "not sorted by lift, highest first"
PYTHON
expect_grep "the filter is shown" "<span id=\"visible\">$with_milk</span>" "$work/filtered.html"
expect_grep "the script shows the filter box" '<div class="tools">' "$work/filtered.html"
expect_grep "the sorted column is marked for screen readers" \
  '<th class="num" data-key="lift" tabindex="0" aria-sort="descending">' "$work/filtered.html"
# A malformed address ("100%" is no percent-encoding) is taken as typed.
render malformed "file://$report#filter=100%&sort=-lift" --dump-dom >"$work/malformed.html" ||
  fail "chromium --dump-dom, malformed address"
expect_grep "the script ran (malformed address)" '<body data-ready="yes">' "$work/malformed.html"
expect_no_grep "no console messages (malformed address)" 'CONSOLE' "$work/malformed.log"

# The page of groups: its script and every frame's run without a message,
# and the address picks the group shown.
render groups "file://$work/groups.html#group=Spain" --dump-dom >"$work/groups_dom.html" ||
  fail "chromium --dump-dom, groups"
expect_grep "the groups' script ran" '<body data-ready="yes">' "$work/groups_dom.html"
expect_no_grep "no console messages (groups)" 'CONSOLE' "$work/groups.log"
shown=$(/usr/bin/python3 - "$work/groups_dom.html" <<'PYTHON'
import sys
from html.parser import HTMLParser

class Frames(HTMLParser):
    """Prints the group of every frame shown (without a hidden attribute)."""
    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "iframe" and attributes.get("class") == "group" and "hidden" not in attributes:
            print(attributes["data-group"])

Frames().feed(open(sys.argv[1], encoding="utf-8").read())
PYTHON
)
if [ "$shown" = "Spain" ]; then pass; else fail "#group=Spain shows: $shown"; fi

render shot "file://$report" --window-size=1280,2400 --hide-scrollbars \
  --screenshot="$work/report.png" >/dev/null || fail "chromium --screenshot"
if [ "$(head -c 8 "$work/report.png" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] &&
   [ "$(stat -c %s "$work/report.png")" -gt 20000 ]; then pass; else
  fail "a PNG screenshot of the report"
fi
expect_no_grep "no console messages (screenshot)" 'CONSOLE' "$work/shot.log"
# Hovering the strongest rule's dot shows that rule (through the DevTools
# protocol; needs Debian's python3-websocket).
if /usr/bin/python3 -c 'import websocket' 2>/dev/null; then
  timeout -k 5 120 "$chromium_binary" --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$work/profile-hover" --remote-debugging-port=0 --window-size=1280,1000 \
    "file://$report" >/dev/null 2>&1 &
  hover_browser=$!
  timeout 60 /usr/bin/python3 "$FIMBIT_SOURCE_DIR/tests/e2e/report_hover.py" \
    "$work/profile-hover" >"$work/hover" 2>&1 || true
  kill "$hover_browser" 2>/dev/null || true
  wait "$hover_browser" 2>/dev/null || true
  expect_text "hover shows the strongest rule" \
    "block | {root vegetables, tropical fruit, yogurt} → {whole milk}   support 0.569%, confidence 70.0%, lift 2.740" \
    "$work/hover"
else
  echo "SKIPPED: report hover check (python3-websocket is not installed)"
fi
if [ -n "${FIMBIT_REPORT_SCREENSHOT:-}" ]; then cp "$work/report.png" "$FIMBIT_REPORT_SCREENSHOT"; fi

finish

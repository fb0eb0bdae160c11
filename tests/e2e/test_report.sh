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

# render NAME URL ARGS...: runs headless Chromium with a fresh profile; its
# console messages (CONSOLE lines of --enable-logging) land in $work/NAME.log.
render() {
  local name="$1" url="$2"
  shift 2
  timeout -k 5 120 "$chromium_binary" --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$work/profile-$name" --enable-logging=stderr --v=0 "$@" "$url" \
    2>"$work/$name.log"
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

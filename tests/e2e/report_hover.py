"""Hovers the report's strongest rule's dot in a running headless Chromium
(Chrome DevTools Protocol) and prints the tooltip: "display | text".
Usage: report_hover.py USER_DATA_DIR (Chromium started with
--remote-debugging-port=0 writes its port to USER_DATA_DIR/DevToolsActivePort)."""
import json
import os
import sys
import time
import urllib.request

import websocket

port_file = os.path.join(sys.argv[1], "DevToolsActivePort")
for _ in range(200):
    if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
        break
    time.sleep(0.1)
port = open(port_file).readline().strip()
page = None
for _ in range(100):
    pages = [t for t in json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
             if t["type"] == "page"]
    if pages:
        page = pages[0]
        break
    time.sleep(0.1)
socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
calls = 0


def call(method, **params):
    global calls
    calls += 1
    socket.send(json.dumps({"id": calls, "method": method, "params": params}))
    while True:
        message = json.loads(socket.recv())
        if message.get("id") == calls:
            return message.get("result", {})


def evaluate(expression):
    return call("Runtime.evaluate", expression=expression, returnByValue=True)["result"]["value"]


for _ in range(100):
    if evaluate("document.body && document.body.getAttribute('data-ready')") == "yes":
        break
    time.sleep(0.1)
x, y = json.loads(evaluate(
    "(function () { var dot = document.querySelector('#scatter circle[data-i=\"0\"]');"
    " dot.scrollIntoView({block: 'center'}); var box = dot.getBoundingClientRect();"
    " return JSON.stringify([box.x + box.width / 2, box.y + box.height / 2]); })()"))
call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
time.sleep(0.2)
print(evaluate("document.getElementById('tip').style.display + ' | ' +"
               " document.getElementById('tip').textContent"))
socket.close()

"""Drives a running chaoslab lab server with the toxiproxy-python client, as a learner's
own scripts would: list the sandbox's proxies, add and remove a latency toxic (and see
its effect on a real connection), disable and enable a proxy, reset. Prints one line per
step; exits non-zero on the first thing that does not hold.

Usage: PORT, or a base URL such as a team's api_base (http://127.0.0.1:8474/t/SECRET), as
TOXIPROXY_URL would be given. toxiproxy-python builds its URLs as "http://HOST:PORT" + path,
so a base URL's path rides along in its port."""
import socket
import sys
import time

from toxiproxy import Toxiproxy
from toxiproxy.api import APIConsumer
from urllib.parse import urlsplit


def round_trip(address):
    host, port = address.rsplit(":", 1)
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: ads\r\nConnection: close\r\n\r\n")
        answer = connection.recv(1000)
    return time.monotonic() - started, answer


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        sys.exit(1)


if sys.argv[1].isdigit():
    APIConsumer.port = int(sys.argv[1])
else:
    base = urlsplit(sys.argv[1])
    APIConsumer.host = base.hostname
    APIConsumer.port = "%d%s" % (base.port, base.path.rstrip("/"))
server = Toxiproxy()
proxies = server.proxies()
check(sorted(proxies) == ["checkout-cache", "storefront-ads", "storefront-cache", "storefront-checkout"],
      "the sandbox's four edges are listed: %s" % sorted(proxies))
ads = proxies["storefront-ads"]

ads.add_toxic(type="latency", attributes={"latency": 300})
check(list(ads.toxics()) == ["latency_downstream"], "a latency toxic was added as latency_downstream")
elapsed, answer = round_trip(ads.listen)
check(elapsed >= 0.3 and answer.startswith(b"HTTP/1.1 200"), "a request through the edge took %.3f s (>= 0.3 s)" % elapsed)
ads.destroy_toxic("latency_downstream")
check(ads.toxics() == {}, "the toxic was removed")
elapsed, answer = round_trip(ads.listen)
check(elapsed < 0.3 and answer.startswith(b"HTTP/1.1 200"), "without it the request took %.3f s" % elapsed)

ads.disable()
try:
    host, port = ads.listen.rsplit(":", 1)
    socket.create_connection((host, int(port)), timeout=2).close()
    check(False, "a disabled proxy refuses connections")
except ConnectionRefusedError:
    check(True, "a disabled proxy refuses connections")
check(server.get_proxy("storefront-ads").enabled is False, "the proxy shows enabled: false")
ads.enable()
elapsed, answer = round_trip(ads.listen)
check(answer.startswith(b"HTTP/1.1 200"), "enabled again, it forwards")

ads.add_toxic(type="timeout", attributes={"timeout": 0}, stream="upstream")
ads.disable()
check(server.reset() is True, "reset answered")
after = server.get_proxy("storefront-ads")
check(after.enabled is True and after.toxics() == {}, "after reset the proxy is enabled and has no toxics")
print("toxiproxy-python: all checks passed")

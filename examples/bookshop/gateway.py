#!/usr/bin/env python3
"""gateway: the bookshop's front door, the only service a customer talks to.

    GET  /               a small HTML page (its script fetches /api/books)
    GET  /api/books      every book from catalog, each with its stars from reviews
    GET  /api/books/<id> one book with its reviews
    POST /api/orders     order a book: {"book": <id>} (an empty body orders book 1);
                         calls catalog only
    GET  /healthz        {"status": "ok"}

It calls two services:
  catalog  with a 1 s timeout; when catalog fails the answer is HTTP 503.
  reviews  with the timeout of --reviews-timeout-ms (default 0: none); when reviews
           fails the answer is HTTP 502, unless --reviews-fallback is given: then the
           books are shown without stars.

Run it:  python3 -u gateway.py --port 18103 \\
             --catalog-url http://127.0.0.1:18101 --reviews-url http://127.0.0.1:18102
"""
import argparse
import http.client
import itertools
import json
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CATALOG_TIMEOUT_S = 1.0
DEFAULT_BOOK = 1
# Everything a call to another service can raise: refused or reset connections,
# timeouts, HTTP errors (urllib raises HTTPError for non-2xx answers), bad JSON.
CALL_FAILURES = (OSError, ValueError, http.client.HTTPException)

config = None  # the command-line options, set by main()
order_numbers = itertools.count(1)  # next() on a count is safe across threads in CPython

PAGE = b"""<!doctype html>
<html><head><meta charset="utf-8"><title>Bookshop</title></head>
<body>
<h1>Bookshop</h1>
<ul id="books"><li>Loading...</li></ul>
<script>
fetch("/api/books").then(r => r.ok ? r.json() : Promise.reject(r.status)).then(data => {
  document.getElementById("books").innerHTML = data.books.map(b =>
    `<li>${b.title} by ${b.author}, $${b.price}` +
    (b.stars == null ? "" : ` (${b.stars} stars)`) + "</li>").join("");
}).catch(e => { document.getElementById("books").innerHTML = `<li>Sorry: error ${e}</li>`; });
</script>
</body></html>
"""


class Failure(Exception):
    """A request that cannot be answered: the HTTP status and a message for the customer."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def get_json(url, timeout):
    """GET a URL and decode its JSON. timeout=None waits for ever."""
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return json.load(answer)


def call_catalog(path):
    """Catalog is critical, and treated so: a 1 s timeout, and its failure fails the request."""
    try:
        return get_json(config.catalog_url + path, CATALOG_TIMEOUT_S)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise Failure(404, "no such book")
        raise Failure(503, f"catalog failed: {error}")
    except CALL_FAILURES as error:
        raise Failure(503, f"catalog failed: {error!r}")


def call_reviews(path):
    """Reviews is meant to be optional. Returns None when it failed and the fallback is on."""
    timeout = config.reviews_timeout_ms / 1000 if config.reviews_timeout_ms > 0 else None
    try:
        return get_json(config.reviews_url + path, timeout)
    except CALL_FAILURES as error:
        if config.reviews_fallback:
            return None
        raise Failure(502, f"reviews failed: {error!r}")


def list_books():
    books = call_catalog("/books")["books"]
    reviews = call_reviews("/reviews")
    for book in books:
        stars = reviews["reviews"].get(str(book["id"]), {}) if reviews else {}
        book["stars"] = stars.get("stars")
    return {"books": books, "reviews_shown": reviews is not None}


def one_book(book_id):
    book = call_catalog(f"/books/{book_id}")
    reviews = call_reviews(f"/reviews?book={book_id}")
    book["stars"] = reviews["stars"] if reviews else None
    book["reviews"] = reviews["reviews"] if reviews else []
    return book


def place_order(body):
    try:
        request = json.loads(body) if body.strip() else {}
    except ValueError:
        raise Failure(400, "the body must be JSON")
    book_id = request.get("book", DEFAULT_BOOK) if isinstance(request, dict) else None
    if not str(book_id).isdigit():
        raise Failure(400, 'expected {"book": <id>}')
    book = call_catalog(f"/books/{book_id}")  # is there such a book? (reviews is not asked)
    return {"order": next(order_numbers), "book": book["id"], "title": book["title"],
            "price": book["price"]}


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections open between requests; every answer must
    # then say how long it is (Content-Length), which reply() does.
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.started = time.monotonic()
        path = self.path.split("?", 1)[0]
        try:
            if path == "/":
                self.reply(200, PAGE, "text/html; charset=utf-8")
            elif path == "/healthz":
                self.reply_json(200, {"status": "ok"})
            elif path == "/api/books":
                self.reply_json(200, list_books())
            elif path.startswith("/api/books/") and path[len("/api/books/"):].isdigit():
                self.reply_json(200, one_book(int(path[len("/api/books/"):])))
            else:
                raise Failure(404, "not found")
        except Failure as failure:
            self.reply_json(failure.status, {"error": str(failure)})

    def do_POST(self):
        self.started = time.monotonic()
        # Read the whole body, even when it is not used: on a kept-alive connection
        # the next request starts right after it.
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if "Transfer-Encoding" in self.headers:
            self.close_connection = True  # chunked bodies are not supported: start afresh
        try:
            if self.path.split("?", 1)[0] == "/api/orders":
                self.reply_json(201, place_order(body.decode("utf-8", "replace")))
            else:
                raise Failure(404, "not found")
        except Failure as failure:
            self.reply_json(failure.status, {"error": str(failure)})

    def reply_json(self, status, payload):
        self.reply(status, json.dumps(payload).encode(), "application/json",
                   payload.get("error", ""))

    def reply(self, status, body, content_type, note=""):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        ms = (time.monotonic() - self.started) * 1000
        self.log_message("%s %s -> %d (%.0f ms) %s", self.command, self.path, status, ms, note)

    def log_request(self, code="-", size="-"):
        pass  # reply() logs one line per request instead

    def log_message(self, format, *args):
        sys.stderr.write("gateway: " + (format % args).rstrip() + "\n")
        sys.stderr.flush()


def main():
    global config
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--catalog-url", required=True, help="like http://127.0.0.1:18101")
    parser.add_argument("--reviews-url", required=True, help="like http://127.0.0.1:18102")
    parser.add_argument("--reviews-timeout-ms", type=int, default=0,
                        help="give up on reviews after this long; 0 (the default) waits for ever")
    parser.add_argument("--reviews-fallback", action="store_true",
                        help="when reviews fails, show the books without stars instead of failing")
    config = parser.parse_args()
    config.catalog_url = config.catalog_url.rstrip("/")
    config.reviews_url = config.reviews_url.rstrip("/")

    server = ThreadingHTTPServer(("127.0.0.1", config.port), Handler)
    server.daemon_threads = True  # a stuck request never keeps the process alive
    # shutdown() waits for serve_forever() to return, so it must run on another thread.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"gateway: listening on http://127.0.0.1:{config.port} (catalog {config.catalog_url}, "
          f"reviews {config.reviews_url})", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()
    print("gateway: stopped", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()

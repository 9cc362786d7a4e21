#!/usr/bin/env python3
"""catalog: the bookshop's list of books.

    GET /books        all books, as JSON
    GET /books/<id>   one book (404 if there is no such book)
    GET /healthz      {"status": "ok"}

The data lives in memory; the service calls nothing else.
Run it:  python3 -u catalog.py --port 18101
"""
import argparse
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOOKS = [
    {"id": 1, "title": "The Pragmatic Programmer", "author": "Hunt & Thomas", "price": 39.0},
    {"id": 2, "title": "Release It!", "author": "Michael Nygard", "price": 35.0},
    {"id": 3, "title": "Site Reliability Engineering", "author": "Beyer et al.", "price": 45.0},
    {"id": 4, "title": "Designing Data-Intensive Applications", "author": "Martin Kleppmann", "price": 49.0},
    {"id": 5, "title": "Chaos Engineering", "author": "Rosenthal & Jones", "price": 42.0},
    {"id": 6, "title": "Thinking in Systems", "author": "Donella Meadows", "price": 25.0},
]


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections open between requests; every answer must
    # then say how long it is (Content-Length), which send_json does.
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.started = time.monotonic()
        path = self.path.split("?", 1)[0]
        if path == "/healthz":
            self.send_json(200, {"status": "ok"})
        elif path == "/books":
            self.send_json(200, {"books": BOOKS})
        elif path.startswith("/books/"):
            book = next((b for b in BOOKS if str(b["id"]) == path[len("/books/"):]), None)
            if book:
                self.send_json(200, book)
            else:
                self.send_json(404, {"error": "no such book"})
        else:
            self.send_json(404, {"error": "not found"})

    def send_json(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        ms = (time.monotonic() - self.started) * 1000
        self.log_message("%s %s -> %d (%.0f ms)", self.command, self.path, status, ms)

    def log_request(self, code="-", size="-"):
        pass  # send_json logs one line per request instead

    def log_message(self, format, *args):
        sys.stderr.write("catalog: " + (format % args) + "\n")
        sys.stderr.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True  # a stuck request never keeps the process alive
    # shutdown() waits for serve_forever() to return, so it must run on another thread.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"catalog: listening on http://127.0.0.1:{args.port}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()
    print("catalog: stopped", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()

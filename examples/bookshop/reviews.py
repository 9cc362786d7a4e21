#!/usr/bin/env python3
"""reviews: readers' star ratings.

    GET /reviews            stars of every book: {"reviews": {"1": {"stars": 4.5, "count": 2}, ...}}
    GET /reviews?book=<id>  one book's reviews, with its stars
    GET /healthz            {"status": "ok"}

The data lives in memory; the service calls nothing else.
Run it:  python3 -u reviews.py --port 18102
"""
import argparse
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# Book id -> its reviews. Book 6 has none yet.
REVIEWS = {
    1: [{"stars": 5, "text": "Still relevant."}, {"stars": 4, "text": "Good advice, a bit long."}],
    2: [{"stars": 5, "text": "Read it before your first outage."}],
    3: [{"stars": 4, "text": "Dense but worth it."}, {"stars": 3, "text": "Very Google."}],
    4: [{"stars": 5, "text": "The best book on data systems."}],
    5: [{"stars": 4, "text": "Short and practical."}],
    6: [],
}


def summary(book_id):
    """Average stars and number of reviews of one book (stars is None without reviews)."""
    reviews = REVIEWS.get(book_id, [])
    stars = round(sum(r["stars"] for r in reviews) / len(reviews), 1) if reviews else None
    return {"stars": stars, "count": len(reviews)}


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections open between requests; every answer must
    # then say how long it is (Content-Length), which send_json does.
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.started = time.monotonic()
        url = urlsplit(self.path)
        if url.path == "/healthz":
            self.send_json(200, {"status": "ok"})
        elif url.path == "/reviews":
            book = parse_qs(url.query).get("book")
            if book is None:
                self.send_json(200, {"reviews": {str(b): summary(b) for b in REVIEWS}})
            elif book[0].isdigit():
                b = int(book[0])
                self.send_json(200, {"book": b, **summary(b), "reviews": REVIEWS.get(b, [])})
            else:
                self.send_json(400, {"error": "book must be a number"})
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
        sys.stderr.write("reviews: " + (format % args) + "\n")
        sys.stderr.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True  # a stuck request never keeps the process alive
    # shutdown() waits for serve_forever() to return, so it must run on another thread.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"reviews: listening on http://127.0.0.1:{args.port}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()
    print("reviews: stopped", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()

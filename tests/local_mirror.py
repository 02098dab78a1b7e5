"""A local MNIST mirror for tests: a threaded HTTP server on 127.0.0.1 with Range
support and ways to misbehave, and tiny synthetic MNIST files to serve."""

from __future__ import annotations

import http.server
import threading

from conftest import idx_bytes, synthetic_digits


def fixture_files() -> dict[str, bytes]:
    """The four MNIST files (tiny, synthetic), raw IDX bytes by name."""
    train = synthetic_digits(60, seed=0)
    test = synthetic_digits(20, seed=1)
    return {
        "train-images-idx3-ubyte": idx_bytes(train[0]),
        "train-labels-idx1-ubyte": idx_bytes(train[1]),
        "t10k-images-idx3-ubyte": idx_bytes(test[0]),
        "t10k-labels-idx1-ubyte": idx_bytes(test[1]),
    }


class Server:
    """A threaded HTTP server with Range support and ways to misbehave."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files  # URL path ("/m/x.gz") → bytes
        self.drop_after: dict[str, int] = {}  # path → close the connection after n bytes, once
        self.requests: list[tuple[str, str | None]] = []  # (path, Range header)
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("Range")))
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                start = 0
                ranged = self.headers.get("Range")
                if ranged:
                    start = int(ranged.removeprefix("bytes=").rstrip("-"))
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                payload = body[start:]
                cut = server.drop_after.pop(self.path, None)
                if cut is not None:
                    # Send part of the body, then hang up: a dropped connection.
                    self.wfile.write(payload[:cut])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(payload)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

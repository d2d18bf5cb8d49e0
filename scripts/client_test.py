"""`noticepipe serve` seen by Python's standard HTTP client (issue 19), on loopback.

http.client sends the whole body it announced before it reads the answer: a 413 for a
`Content-Length` over --max-body must reach it (not a BrokenPipeError), and so must a 401 for a
large body without the key. `Authorization: bearer KEY` (any case) is accepted.

    python3 scripts/client_test.py --binary target/debug/noticepipe
"""

import argparse
import http.client
import json
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / "target/debug/noticepipe"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        key = pathlib.Path(tmp) / "key"
        key.write_text("s3cret\n")
        server = subprocess.Popen(
            [args.binary, "serve", "--listen", "127.0.0.1:0", "--max-body", "1",
             "--request-timeout", "10", "--api-key-file", str(key)],
            stderr=subprocess.PIPE, text=True)
        try:
            line = server.stderr.readline()
            host, port = line.strip().rsplit("http://", 1)[1].rsplit(":", 1)
            notice = (ROOT / "corpus/2023-zibo.txt").read_bytes()

            def post(body: bytes, headers: dict) -> tuple[int, dict]:
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
                connection.request("POST", "/v1/parse", body=body, headers=headers)
                response = connection.getresponse()
                status, data = response.status, json.loads(response.read())
                connection.close()
                return status, data

            checks = [
                ("413 for 3 MiB over a 1 MiB limit", post(b"x" * (3 << 20), {"Authorization": "Bearer s3cret"}), 413, "too_large"),
                ("401 for 3 MiB without the key", post(b"x" * (3 << 20), {}), 401, "unauthorized"),
                ("200 with a lower-case bearer", post(notice, {"Authorization": "bearer s3cret"}), 200, None),
            ]
            failed = 0
            for name, (status, data), want, code in checks:
                ok = status == want and (code is None or data.get("code") == code)
                print(f"{'ok' if ok else 'FAILED'}: {name}: {status} {data.get('code', '')}")
                failed += not ok
            return 1 if failed else 0
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())

"""Bytes over the wire for a first and a repeat visit to one page, in headless Chromium.

    bench_browser.py URL COOKIE_HEADER

First visit: empty cache, every request (page, CSS, JS, map data, fonts) with headers and
compressed bodies as Chromium counts them (CDP Network.loadingFinished encodedDataLength).
Repeat visit: the same page again in the same browser: what the cache headers did not save.
Prints JSON.
"""

import json
import sys
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def visit(page, cdp, url: str) -> tuple[int, list]:
    transfers: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: transfers.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(500)
    detail = sorted(
        ((urlsplit(urls.get(rid, "?")).path, size) for rid, size in transfers.items() if size),
        key=lambda item: -item[1],
    )
    return sum(transfers.values()), detail


def main() -> None:
    url, cookie = sys.argv[1], sys.argv[2]
    host = urlsplit(url).hostname
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context()
        context.add_cookies(
            [
                {"name": k, "value": v, "domain": host, "path": "/"}
                for k, v in (part.strip().split("=", 1) for part in cookie.split(";"))
            ]
        )
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        first, first_detail = visit(page, cdp, url)
        cdp.detach()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        repeat, repeat_detail = visit(page, cdp, url)
        browser.close()
    print(
        json.dumps(
            {
                "first_visit_bytes": first,
                "repeat_visit_bytes": repeat,
                "first_visit_largest": first_detail[:6],
                "repeat_visit_requests": repeat_detail,
            }
        )
    )


if __name__ == "__main__":
    main()

"""Feeds the operator names (ARNA_LISTEN_FEEDS): fetched over HTTP when `arna listen fetch`
asks, nowhere else. A feed is read whole, within a size and a time limit, before anything of it
is stored."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlsplit

from arna.core.settings import Settings
from arna.listening.sources import SourceError

MAX_BYTES = 20 * 1024 * 1024
TIMEOUT = 30.0  # seconds to connect and between reads


def configured(settings: Settings) -> list[str]:
    """The feed URLs of the settings; a value that is not an http(s) URL is a SourceError."""
    urls = [u.strip() for u in settings.listen_feeds.split(",") if u.strip()]
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SourceError(f"ARNA_LISTEN_FEEDS: {url[:80]!r} is not an http or https URL")
    return urls


def fetch(url: str) -> bytes:
    """The body of `url`; SourceError says why when it cannot be had."""
    request = urllib.request.Request(url, headers={"User-Agent": "Arna listening"})
    try:  # only the operator's http(s) URLs reach here (`configured`)
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            body: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        exc.close()  # its body is the server's error page: not read
        raise SourceError(f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceError(f"cannot be fetched ({reason})") from None
    if len(body) > MAX_BYTES:
        raise SourceError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    return body

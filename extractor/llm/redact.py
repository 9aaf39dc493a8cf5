"""Credentials out of URLs, wherever a URL is written: meta, outputs, logs, errors.

A base URL may carry a key (`https://user:KEY@host/v1`, `…/v1?api-key=KEY`, Azure's
`api-version=…&api-key=…`). The key must reach the server and nothing else, so every
URL this library writes anywhere passes through `redact_url` first, and free text
that may quote one (an error message, a cassette URI) through `redact_text`.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "***"
# Query parameters that carry credentials (compared lower-cased, "-" and "_" alike).
_SECRET_PARAMS = {
    "key",
    "apikey",
    "api_key",
    "token",
    "access_token",
    "auth",
    "authorization",
    "secret",
    "password",
    "sig",
    "signature",
    "code",
}
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]+")


def _secret_param(name: str) -> bool:
    folded = name.lower().replace("-", "_")
    return folded in _SECRET_PARAMS or folded.endswith(("_key", "_token", "_secret"))


def redact_url(url: str) -> str:
    """The URL with any user, password and credential-like query value masked."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return _fallback(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if "@" not in parts.netloc and not any(_secret_param(k) for k, _ in pairs):
        return url  # nothing to mask: the URL exactly as given
    netloc = parts.netloc
    if "@" in netloc:
        host = f"[{host}]" if ":" in host else host
        netloc = f"{MASK}@{host}" + (f":{port}" if port is not None else "")
    query = parts.query
    if query:
        query = urlencode([(k, MASK if _secret_param(k) else v) for k, v in pairs], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _fallback(url: str) -> str:
    """A URL that does not parse: mask everything between the scheme and the host."""
    url = re.sub(r"(://)[^/@\s]*@", rf"\g<1>{MASK}@", url)
    return re.sub(r"([?&][^=&\s]*=)[^&\s]*", rf"\g<1>{MASK}", url)


def redact_text(text: str) -> str:
    """Free text with every URL in it redacted (error messages, logs, cassette URIs)."""
    if "://" not in text:
        return text
    return _URL.sub(lambda m: redact_url(m.group()), text)

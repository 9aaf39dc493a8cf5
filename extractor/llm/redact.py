"""Credentials out of URLs and text, wherever they are written: meta, outputs, logs, errors.

A base URL may carry a key anywhere (`https://user:KEY@host/v1`, `…/v1?api-key=KEY`,
Azure's `api-version=…&api-key=…`, `…/key/KEY/v1`, a fragment). The key must reach
the server and nothing else, so every URL this library writes anywhere passes
through `redact_url` first, and free text that may quote one (an error message, a
backend's error body, a log line) through `redact_text`.

A key is recognised by its place (user info, a credential-named query parameter),
by its look (a well-known prefix such as `sk-`, or a long random-looking token), or
because it is one of this process's configured secrets (`register_secret`): a
backend that echoes a key without any well-known prefix still has it masked.
`split_base_url` takes a base URL's query out (sent with every request, its keys
registered), `backend_message` makes a backend's error text fit for the local
user and the log, and `RedactingFilter` masks the HTTP libraries' log lines.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

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
# A value that looks like a key: a well-known prefix, or a long run of letters and
# digits mixed (random tokens are; "gpt-4o-mini", "v1" or a model file name are not).
_PREFIXED = re.compile(
    r"(?:(?:sk|pk|rk|ak|key|api|tok|ghp|gho|xox[a-z]|hf)[-_]|AKIA|AIza)[A-Za-z0-9_\-]{12,}"
)
_RUN = re.compile(r"[A-Za-z0-9]{20,}")
_MIN_SECRET = 6  # shorter configured "secrets" ("not-needed" aside) would mask words

_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Mask `value` wherever this process writes text (a configured key, a URL's password)."""
    if value and len(value) >= _MIN_SECRET and value != "not-needed":
        with _secrets_lock:
            _secrets.update({value, quote(value, safe="")})


def secretish(value: str) -> bool:
    """Whether a URL part looks like a credential: configured, prefixed, or token-like."""
    value = unquote(value)
    if not value:
        return False
    if value in _secrets:
        return True
    if _PREFIXED.fullmatch(value):
        return True
    return any(re.search(r"\d", run) and re.search(r"[A-Za-z]", run) for run in _RUN.findall(value))


def secret_param(name: str) -> bool:
    """Whether a query parameter's name says it carries a credential."""
    folded = name.lower().replace("-", "_")
    return folded in _SECRET_PARAMS or folded.endswith(("_key", "_token", "_secret"))


def _masked_pairs(text: str) -> tuple[str, bool]:
    """A query (or fragment) with credential values masked, and whether any was."""
    pairs = parse_qsl(text, keep_blank_values=True)
    if not pairs or "=" not in text:
        return (MASK, True) if secretish(text) else (text, False)
    hidden = [secret_param(k) or secretish(v) for k, v in pairs]
    if not any(hidden):
        return text, False
    masked = [(k, MASK if h else v) for (k, v), h in zip(pairs, hidden, strict=True)]
    return urlencode(masked, safe="*"), True


def redact_url(url: str) -> str:
    """The URL with user info, credential-like path parts, query values, fragment masked."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return _fallback(url)
    query, in_query = _masked_pairs(parts.query)
    fragment, in_fragment = _masked_pairs(parts.fragment)
    segments = parts.path.split("/")
    in_path = [secretish(s) for s in segments]
    if "@" not in parts.netloc and not (in_query or in_fragment or any(in_path)):
        return mask_secrets(url)  # nothing to mask by place or look: only configured keys
    netloc = parts.netloc
    if "@" in netloc:
        host = f"[{host}]" if ":" in host else host
        netloc = f"{MASK}@{host}" + (f":{port}" if port is not None else "")
    path = "/".join(MASK if h else s for s, h in zip(segments, in_path, strict=True))
    return mask_secrets(urlunsplit((parts.scheme, netloc, path, query, fragment)))


def _fallback(url: str) -> str:
    """A URL that does not parse: mask everything between the scheme and the host."""
    url = re.sub(r"(://)[^/@\s]*@", rf"\g<1>{MASK}@", url)
    url = re.sub(r"([?&#][^=&\s]*=)[^&\s]*", rf"\g<1>{MASK}", url)
    return mask_secrets(url)


def mask_secrets(text: str) -> str:
    """`text` with every configured secret (`register_secret`) masked."""
    with _secrets_lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redact_text(text: str) -> str:
    """Free text with every URL in it redacted and every configured secret masked."""
    if "://" in text:
        text = _URL.sub(lambda m: redact_url(m.group()), text)
    return mask_secrets(text)


_KEYLIKE = re.compile(r"\b(sk|pk|rk|key|api|tok)[-_][A-Za-z0-9_*.\-]{6,}", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")


def backend_message(exc: BaseException, limit: int = 200) -> str | None:
    """The backend's own error message, made safe to show: one line, no key, short.

    Ollama's "model 'x' not found, try pulling it first" and OpenAI's "Incorrect API
    key provided" are what a user needs; the status code alone is not. Keys are
    masked by look and by value (any configured secret); it still goes only to the
    local user and the server log, never to an API client or a record.
    """
    body = getattr(exc, "body", None)
    message: Any = None
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message is None and isinstance(body.get("detail"), str):
            message = body["detail"]
    elif isinstance(body, str):
        message = body
    if not isinstance(message, str) or not message.strip():
        return None
    text = _KEYLIKE.sub(lambda m: m.group(1) + "-…", redact_text(message))
    text = " ".join(_masked_word(w) for w in _CONTROL.sub(" ", text).split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return text


def _masked_word(word: str) -> str:
    """A word of a backend's message, masked when it looks like a key (quotes aside)."""
    core = word.strip("'\"`.,:;()[]{}<>")
    return word.replace(core, MASK) if core and secretish(core) else word


def split_base_url(url: str | None) -> tuple[str | None, dict[str, str]]:
    """A base URL as (endpoint, query parameters sent with every request).

    The openai client appends paths to its base URL as text, so `…/v1?api-key=KEY`
    would become `…/v1?api-key=KEY/chat/completions`: the query is taken out and
    sent as every request's own (Azure's `api-version` and `api-key` that way). A
    fragment is never sent. Every credential in the URL is registered as a secret.
    """
    if url is None:
        return None, {}
    try:
        parts = urlsplit(url)
    except ValueError:
        return url, {}
    register_secret(unquote(parts.password or "") or None)
    if parts.password is None and parts.username:
        register_secret(unquote(parts.username))
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    for name, value in query.items():
        if secret_param(name) or secretish(value):
            register_secret(value)
    endpoint = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return endpoint, query


def shown_url(url: str | None) -> str:
    """A base URL fit for a message: credentials (user:password, key parameters) masked."""
    return redact_url(url) if url else "https://api.openai.com/v1"


class RedactingFilter(logging.Filter):
    """Masks keys in a log record before any handler formats it.

    httpx logs every request's URL at INFO (a key in its query too), httpcore and
    openai log requests at DEBUG: the record is rewritten once, as redacted text.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format: leave it to logging's own report
            return True
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_FILTER = RedactingFilter()
# Filters of a logger see only its own records, not its children's: every logger
# that writes a URL or a request is named.
HTTP_LOGGERS = (
    "httpx",
    "httpx2",
    "httpcore",
    "httpcore2",
    *(
        f"{root}.{leaf}"
        for root in ("httpcore", "httpcore2")
        for leaf in ("connection", "http11", "http2", "proxy", "socks")
    ),
    "openai",
    "openai._base_client",
    "openai.agents",
)


def redact_http_logs() -> None:
    """Install the redacting filter on the HTTP libraries' loggers (idempotent)."""
    for name in HTTP_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)

"""The site's public address, for the absolute links a page or an answer gives out
(permalinks, embed snippets, the OpenAPI document's server).

Set SPI_PUBLIC_URL (e.g. https://stats.example.gov.om) wherever the site is served behind
a proxy or under a public name: then no link depends on the Host header a client sends,
which anyone can forge. Without it (a local run), links use the address the request came to.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit


def configured() -> str | None:
    """SPI_PUBLIC_URL without a trailing slash, or None when it is not set.
    Raises ValueError when it is set but is not an http(s) address."""
    return checked(os.environ.get("SPI_PUBLIC_URL"))


def checked(value: str | None, name: str = "SPI_PUBLIC_URL") -> str | None:
    """An address as configured (`name`: the setting it comes from): None for none, else an
    http(s) address without a trailing slash (ValueError naming the setting for anything else)."""
    value = (value or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{name}={value!r} is not an address such as https://stats.example.org")
    return value.rstrip("/")


def public_base(request_base: str | None = None) -> str:
    """The address absolute links start with: SPI_PUBLIC_URL, else the request's own base
    (scheme and host), else "" (links stay relative)."""
    return configured() or (request_base or "").rstrip("/")

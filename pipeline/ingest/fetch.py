"""Fetch ``http(s)://`` inputs with a timeout and a size cap."""

from __future__ import annotations

from dataclasses import dataclass

import requests

from pipeline.ingest.decode import InputError

USER_AGENT = "Eventline/0.1 (+https://github.com/eventline; news event extraction)"
DEFAULT_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class Fetched:
    """The bytes of a fetched URL and what the server said they are."""

    url: str
    content_type: str
    data: bytes


def fetch_url(url: str, max_bytes: int, timeout: float = DEFAULT_TIMEOUT_S) -> Fetched:
    """Return the body of a URL, or raise ``InputError`` saying why it could not be had."""
    try:
        with requests.get(url, timeout=timeout, stream=True, headers={"User-Agent": USER_AGENT}) as response:
            response.raise_for_status()
            data = bytearray()
            for chunk in response.iter_content(chunk_size=65536):
                data.extend(chunk)
                if len(data) > max_bytes:
                    raise InputError(f"larger than the size cap of {max_bytes:,} bytes")
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            return Fetched(response.url, content_type, bytes(data))
    except requests.HTTPError as err:
        raise InputError(f"the server answered {err.response.status_code} {err.response.reason}") from None
    except requests.Timeout:
        raise InputError(f"no answer within {timeout:g} s") from None
    except requests.RequestException as err:
        raise InputError(f"unreachable ({type(err).__name__}: {str(err)[:160]})") from None

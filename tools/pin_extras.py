"""Make a pip-compile lock installable by every pip in hash-checking mode: ``python tools/pin_extras.py FILE...``.

pip-compile writes a package that something needs with an extra once, with the extra (``lxml[html-clean]==6.1.3``). pip
before 23.3 (the pip that Python 3.11.7's and 3.12.1's ``venv`` bring) treats ``lxml`` and ``lxml[html_clean]`` as two
requirements, each of which must be pinned with its hashes, and compares extras as written (justext asks for
``lxml[html_clean]``). So each such block is written twice, with the extras spelt with ``_`` and without extras; newer
pips read both as the same pin. Run by ``make lock`` after pip-compile; running it again changes nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PINNED_WITH_EXTRAS = re.compile(r"(?P<name>[A-Za-z0-9._-]+)\[(?P<extras>[^\]]+)\](?P<pin>==\S+)")
BLOCK_START = re.compile(r"(?m)^(?=[A-Za-z0-9])")


def with_extras(match: re.Match[str], rest: str) -> str:
    """Return the block of a pin with extras, its extras spelt with ``_``."""
    return f"{match['name']}[{match['extras'].replace('-', '_')}]{match['pin']}{rest}"


def pin_extras(text: str) -> str:
    """Return the lock ``text`` with every pin with extras also pinned without them (once)."""
    blocks = BLOCK_START.split(text)
    seen = {b.split(" ", 1)[0] for b in blocks}
    out: list[str] = []
    for block in blocks:
        match = PINNED_WITH_EXTRAS.match(block)
        if not match:
            out.append(block)
            continue
        rest = block[match.end() :]
        out.append(with_extras(match, rest))
        if f"{match['name']}{match['pin']}" not in seen:
            out.append(f"{match['name']}{match['pin']}{rest}")
    return "".join(out)


def main(paths: list[str]) -> int:
    for path in map(Path, paths):
        path.write_text(pin_extras(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

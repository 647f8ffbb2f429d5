"""Hosted pages that every new visitor of a link sees alike, rendered once and reused.

The first page of an anonymous link, before anything is answered, is the same for every
visitor in a language except for one value: the ``_form`` token that binds the form to the
visitor's response (``hosted_security``). Rendering it (three questions make some 150
escaped values) was the largest cost of a hosted page view (bench/request_cpu.py). So the
page is rendered once with a random placeholder where the token goes, split there, and each
visit joins the two halves around its own token. Everything else that could differ between
visitors keys the cache: the survey version (whose definition never changes once
published), the language, the page, the form's action URL and the app's root path.

Only pages without answers, errors, contact details or an invitation are kept (the caller
decides; see ``hosted_flow.render_page``). The cache holds at most :data:`SIZE` pages per
process, the oldest dropped first.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Hashable

SIZE = 256
"""Pages kept per process (each some 10-20 kB: a few MB at most)."""
SLOT = f"journeyscope-form-token-{secrets.token_hex(16)}"
"""What stands for the form token in a kept page: random per process, so no survey text can
contain it, and plain ASCII letters and digits, which escaping leaves as they are."""


class PageCache:
    """Pages split around their form token, by a key naming everything else they show."""

    def __init__(self, size: int = SIZE) -> None:
        self._size = size
        self._pages: dict[Hashable, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def page(self, key: Hashable, render: Callable[[str], str], form_token: str) -> str:
        """The page of ``key`` with ``form_token`` in it; ``render(token)`` makes it once.

        A page that does not show its token exactly once is rendered afresh every time
        and never kept.
        """
        parts = self._pages.get(key)
        if parts is None:
            page = render(SLOT)
            if page.count(SLOT) != 1:
                return render(form_token)
            head, _, tail = page.partition(SLOT)
            parts = (head, tail)
            with self._lock:
                if len(self._pages) >= self._size:
                    del self._pages[next(iter(self._pages))]
                self._pages[key] = parts
        return parts[0] + form_token + parts[1]

    def clear(self) -> None:
        """Forget every kept page."""
        with self._lock:
            self._pages.clear()

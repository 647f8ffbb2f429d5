"""Pages rendered once and reused around each visitor's form token."""

from __future__ import annotations

from journeyscope.web.pages.page_cache import SLOT, PageCache


class Renderer:
    """A page with the token in it once (or ``times`` times); counts its renders."""

    def __init__(self, text: str, times: int = 1) -> None:
        self.text = text
        self.times = times
        self.calls = 0

    def __call__(self, token: str) -> str:
        self.calls += 1
        return f"<p>{self.text}</p>" + f'<input value="{token}">' * self.times


def test_page_is_rendered_once_per_key_and_carries_each_token() -> None:
    cache, render = PageCache(), Renderer("hello")
    first = cache.page("k", render, "token-1")
    second = cache.page("k", render, "token-2")
    assert first == '<p>hello</p><input value="token-1">'
    assert second == '<p>hello</p><input value="token-2">'
    assert render.calls == 1


def test_pages_of_other_keys_are_rendered_apart() -> None:
    cache = PageCache()
    assert cache.page("en", Renderer("hello"), "t") == '<p>hello</p><input value="t">'
    assert cache.page("fr", Renderer("bonjour"), "t") == '<p>bonjour</p><input value="t">'


def test_page_without_exactly_one_token_is_never_kept() -> None:
    cache, twice, never = PageCache(), Renderer("a", times=2), Renderer("b", times=0)
    for token in ("t1", "t2"):
        assert cache.page("twice", twice, token) == "<p>a</p>" + f'<input value="{token}">' * 2
        assert cache.page("never", never, token) == "<p>b</p>"
    assert (twice.calls, never.calls) == (4, 4)


def test_oldest_page_is_dropped_when_full() -> None:
    cache, oldest, newer = PageCache(size=2), Renderer("old"), Renderer("new")
    cache.page("old", oldest, "t")
    cache.page("mid", Renderer("mid"), "t")
    cache.page("new", newer, "t")
    cache.page("old", oldest, "t")
    cache.page("new", newer, "t")
    assert (oldest.calls, newer.calls) == (2, 1)


def test_slot_is_left_alone_by_html_escaping() -> None:
    from markupsafe import escape

    assert str(escape(SLOT)) == SLOT

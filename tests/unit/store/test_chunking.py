"""Long ``IN (...)`` lists are cut into bounded chunks, read lazily."""

from __future__ import annotations

import itertools

import pytest

from journeyscope.store import CHUNK, chunks


def test_chunks_are_at_most_the_size_and_keep_the_order() -> None:
    assert list(chunks(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]


def test_chunks_of_nothing_are_none() -> None:
    assert list(chunks([], 3)) == []


def test_chunks_default_to_the_in_list_bound() -> None:
    assert [len(chunk) for chunk in chunks(range(CHUNK + 1))] == [CHUNK, 1]


def test_chunks_read_an_endless_iterator_lazily() -> None:
    first = next(chunks(itertools.count(), 2))
    assert first == [0, 1]


def test_a_chunk_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(chunks([1], 0))

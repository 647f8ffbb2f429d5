"""Rules about a journey as a whole, which field-by-field validation cannot express.

Pydantic checks each field on its own; these checks look across stages and touchpoints. Both
doors use them: the YAML loader (which adds line numbers) and the API (JSON bodies). Pure code:
imports neither the store nor the web.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from journeyscope.errors import Problem
from journeyscope.journey.models import JourneySpec

MAX_KEY_LENGTH = 63
"""The longest key ``KEY_PATTERN`` allows; suggested renames must fit in it too."""

StageKeys = tuple[str | None, Sequence[str | None]]
"""A stage's key and the keys of its touchpoints, in order; ``None`` marks a missing key."""

Where = Callable[[str], str]
"""Renders the path of an earlier use in a message, e.g. adding its line in a file."""


def check_journey(spec: JourneySpec, *, where: Where = str) -> list[Problem]:
    """Find what is wrong with a journey whose fields are each valid already.

    Args:
        spec: The journey to check.
        where: Renders the path of an earlier use (``stages[1]``) for messages; the YAML
            loader passes one that adds the line number.

    Returns:
        The problems, stage keys first, each in document order; empty when the journey is fine.
    """
    stages = [(stage.key, [tp.key for tp in stage.touchpoints]) for stage in spec.stages]
    return find_duplicate_keys(stages, where=where)


def find_duplicate_keys(stages: Sequence[StageKeys], *, where: Where = str) -> list[Problem]:
    """Find stage keys used twice, and touchpoint keys used twice anywhere in the journey.

    Keys are what ``journey apply`` matches on, so a second use would silently overwrite the
    first. Touchpoint keys must be unique across the whole journey (surveys and rules point at a
    touchpoint by its key alone), not just within their stage. This works on bare keys so that a
    document which failed field validation can still be checked; ``None`` keys are skipped.
    """
    stage_paths = [(f"stages[{i}]", key) for i, (key, _) in enumerate(stages)]
    touchpoints = [
        (f"stages[{i}].touchpoints[{j}]", key, stage_key)
        for i, (stage_key, keys) in enumerate(stages)
        for j, key in enumerate(keys)
    ]
    stage_keys = {key for _, key in stage_paths if key is not None}
    touchpoint_keys = {key for _, key, _ in touchpoints if key is not None}
    owner = {path: stage_key for path, _, stage_key in touchpoints}
    problems = [
        _duplicate_stage(path, key, where(first), _free_key(f"{key}-2", key, stage_keys))
        for path, key, first in _repeats(stage_paths)
    ]
    for path, key, first in _repeats((path, key) for path, key, _ in touchpoints):
        wish = f"{owner[path]}-{key}" if owner[path] else f"{key}-2"
        rename = _free_key(wish, key, touchpoint_keys)
        problems.append(_duplicate_touchpoint(path, key, where(first), rename))
    return problems


def _repeats(entries: Iterable[tuple[str, str | None]]) -> Iterator[tuple[str, str, str]]:
    """Yield ``(path, key, first_path)`` for every key already used at an earlier path."""
    first_use: dict[str, str] = {}
    for path, key in entries:
        if key is None:
            continue
        first = first_use.setdefault(key, path)
        if first != path:
            yield path, key, first


def _free_key(wish: str, key: str, taken: set[str]) -> str:
    """Suggest a key that fits the length limit and is not used yet, starting from ``wish``."""
    if len(wish) <= MAX_KEY_LENGTH and wish not in taken:
        return wish
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = key[: MAX_KEY_LENGTH - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


def _duplicate_stage(path: str, key: str, first: str, rename: str) -> Problem:
    """Describe a stage key used a second time."""
    return Problem(
        field=f"{path}.key",
        problem=f"Stage key `{key}` is used twice: {first} already has it.",
        fix=f"Give every stage its own key, e.g. rename this one to `{rename}`. Keys identify "
        "stages when the file is applied again, so keep the key of the stage that already exists.",
    )


def _duplicate_touchpoint(path: str, key: str, first: str, rename: str) -> Problem:
    """Describe a touchpoint key used a second time anywhere in the journey."""
    return Problem(
        field=f"{path}.key",
        problem=f"Touchpoint key `{key}` is used twice: {first} already has it. Touchpoint keys "
        "must be unique in the whole journey, not just within their stage.",
        fix=f"Rename this touchpoint, e.g. to `{rename}`; surveys and rules find a touchpoint "
        "by its key alone.",
    )

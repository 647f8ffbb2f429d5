"""The analytics facade exports exactly its documented public names."""

from __future__ import annotations

import journeyscope.analytics as analytics


def test_every_exported_name_exists_and_has_a_docstring() -> None:
    for name in analytics.__all__:
        obj = getattr(analytics, name)
        if callable(obj):
            assert obj.__doc__, name


def test_the_issue_contract_is_exported() -> None:
    contract = {"estimate_nps", "estimate_proportion", "estimate_mean", "relative_importance"}
    assert contract | {"aapor_rates", "Estimate"} <= set(analytics.__all__)

"""False discovery rate control across many tests (Benjamini-Hochberg).

Y. Benjamini and Y. Hochberg, "Controlling the false discovery rate: a practical and powerful
approach to multiple testing", *JRSS B* 57(1), 1995, 289-300: sort the ``m`` p-values, find
the largest ``k`` with ``p_(k) <= k q / m`` and reject the ``k`` smallest. Under independence
(or positive dependence) the expected share of false rejections among rejections is at most
``q``. Pure; imports nothing of the project.
"""

from __future__ import annotations

from collections.abc import Sequence


def benjamini_hochberg(p_values: Sequence[float], *, q: float) -> list[bool]:
    """Which hypotheses to reject at false discovery rate ``q``, in the order given."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    cutoff = 0
    for rank, i in enumerate(order, start=1):
        if p_values[i] <= rank * q / m:
            cutoff = rank
    rejected = set(order[:cutoff])
    return [i in rejected for i in range(m)]

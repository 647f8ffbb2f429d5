"""Package exports imported on first use (PEP 562), for facades whose imports are heavy.

A facade lists such exports under ``if TYPE_CHECKING:`` (for the type checker and the import
graph that ``lint-imports`` checks) and sets ``__getattr__ = lazy_exports(__name__, {...})``:
importing the package, or one of its modules, then loads nothing more until a name is read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, tuple[str, str]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` serving ``name -> (module, attribute)`` from ``exports``.

    The value is cached in the package's namespace, so each name is looked up once. An
    ``ImportError`` of the module (an optional extra not installed) reaches the caller as is.
    """

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, attribute = exports[name]
        value = getattr(importlib.import_module(module), attribute)
        setattr(importlib.import_module(package), name, value)
        return value

    return __getattr__

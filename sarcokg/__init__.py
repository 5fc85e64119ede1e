"""sarcokg: the command line, settings and error types shared by SarcoKG's packages.

The real work lives in the top-level packages (``ontology``, ``loaders``, ``graph``,
``queries``, ``api``); this package only holds what all of them share and the thin
``sarcokg`` command-line layer over them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sarcokg")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]

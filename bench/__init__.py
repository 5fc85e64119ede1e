"""bench: benchmarks, run by hand (``python -m bench.<name>``), never by ``make test``.

Each module measures one thing against a baseline in the same run (pyoxigraph's own
``bulk_load``, a raw pyoxigraph query...) and prints both figures and their ratio, since
the machines are noisy and only same-run ratios mean much.
"""

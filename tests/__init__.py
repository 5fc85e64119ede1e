"""tests: the pytest suite, one folder per package (ontology, loaders, extraction, graph, queries, api).

Tests use real parts: pyoxigraph stores on disk, real `oxigraph serve`, Virtuoso and uvicorn
processes, real HTTP clients. Shared fixtures (the real servers) live in ``tests/conftest.py``.
"""

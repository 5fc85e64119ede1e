"""Researcher endpoints and linked data, as one router the app includes.

- ``/api/stats/...``, ``/api/cases``, ``/api/terms``, ``/api/queries``: JSON for researchers;
- ``POST /api/reports``: upload a report (bearer token);
- ``/id/...``, ``/ontology``: dereferenceable IRIs with content negotiation;
- ``/dumps/``, ``/.well-known/void``: the whole dataset and its VoID/DCAT description.

Its lifespan (merged into the app's, after the store is opened) creates the statistics service
(and starts building its cubes) and the dumps folder.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.research_deps import research_lifespan
from api.routes import cases, dumps, linked_data, named_queries, reports, stats, terms, void

__all__ = ["router"]

router = APIRouter(lifespan=research_lifespan)
for module in (stats, cases, terms, named_queries, reports, linked_data, dumps, void):
    router.include_router(module.router)

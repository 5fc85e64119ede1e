"""Consistency of the ontology under HermiT, run through owlready2.

owlready2 reads RDF/XML or N-Triples but not Turtle (``format="turtle"`` silently loads
nothing), so the graph is converted to RDF/XML in memory first. owlready2 0.50/0.51 bundle
a Pellet that needs Java 25; HermiT runs on the Java 17 we have. Each call uses a fresh
owlready2 ``World`` so that results never leak between calls, and starts one JVM (~1 s).
"""

from __future__ import annotations

import io
import shutil
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sarcokg.errors import OntologyError

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["ReasonerResult", "check_consistency"]

_ONTOLOGY_IRI = "https://w3id.org/sarcokg/ontology"
_NOTHING = "http://www.w3.org/2002/07/owl#Nothing"


@dataclass(frozen=True)
class ReasonerResult:
    """What HermiT said: consistent or not, and which named classes are unsatisfiable."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Consistent and every named class satisfiable."""
        return self.consistent and not self.unsatisfiable


def check_consistency(graph: Graph) -> ReasonerResult:
    """Classify ``graph`` with HermiT; ``OntologyError`` if Java or owlready2 cannot run."""
    if shutil.which("java") is None:
        raise OntologyError("HermiT needs Java (17 or later) on PATH; none was found")
    import owlready2

    started = time.perf_counter()
    data = graph.serialize(format="xml", encoding="utf-8")
    world = owlready2.World()
    try:
        onto = world.get_ontology(_ONTOLOGY_IRI).load(fileobj=io.BytesIO(data))
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasonerResult(False, [], time.perf_counter() - started)
        except owlready2.OwlReadyJavaError as exc:
            raise OntologyError(f"HermiT failed: {' '.join(str(exc).split())[:300]}") from exc
        unsatisfiable = sorted(
            cls.iri for cls in world.inconsistent_classes() if getattr(cls, "iri", _NOTHING) != _NOTHING
        )
        return ReasonerResult(True, unsatisfiable, time.perf_counter() - started)
    finally:
        world.close()

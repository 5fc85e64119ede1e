"""ontology: SarcoKG's OWL 2 ontology and the Python access to it.

What this package owns:

- ``sarcoma.ttl``: the single hand-edited source of the sarcoma metastasis ontology
  (case-report model, histologies, anatomical sites, drugs, regimens, procedures,
  responses). Protégé opens and saves it; every other rendering is produced by code.
- Term access: :func:`load_ontology` parses the file once per process (again when it
  changes) and answers lookups by label or synonym, hierarchy walks over
  ``rdfs:subClassOf`` and *part of*, roll-up of sub-sites to organ-level sites, regimen
  components, and the vocabulary that extraction matches against.
- :data:`SMO`: typed constants for the model's classes and properties.
- Checks and exports of the file (``sarcokg ontology check|export``).

>>> from ontology import load_ontology, SMO
>>> onto = load_ontology()
>>> onto.term(SMO.Patient).label
'patient'
"""

from ._namespace import BFO_PART_OF, IAO_DEFINITION, OA, OBO, OBOINOWL, ONTOLOGY_IRI, PROV, SMO, SMO_NS
from ._normalize import normalize, singular_variants
from ._ontology import ONTOLOGY_FILE, Kind, Ontology, OntologyTerm, VocabEntry, load_ontology

__all__ = [
    "BFO_PART_OF",
    "IAO_DEFINITION",
    "OA",
    "OBO",
    "OBOINOWL",
    "ONTOLOGY_FILE",
    "ONTOLOGY_IRI",
    "PROV",
    "SMO",
    "SMO_NS",
    "Kind",
    "Ontology",
    "OntologyTerm",
    "VocabEntry",
    "load_ontology",
    "normalize",
    "singular_variants",
]

"""Typed constants for the ontology's model terms and the vocabularies it reuses.

``SMO`` lists the case-report model (classes, properties, individuals) that code refers
to by name. Like rdflib's own ``SKOS``, a typo fails loudly:

>>> str(SMO.Patient)
'https://w3id.org/sarcokg/ontology#Patient'
>>> SMO.Pateint
Traceback (most recent call last):
    ...
AttributeError: term 'Pateint' not in namespace 'https://w3id.org/sarcokg/ontology#'

Terms of the domain vocabularies (histologies, sites, drugs...) are not listed here: they
come from ``sarcoma.ttl`` at run time (``load_ontology().find("leiomyosarcoma")``).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = [
    "BFO_PART_OF",
    "IAO_DEFINITION",
    "OA",
    "OBO",
    "OBOINOWL",
    "ONTOLOGY_IRI",
    "PROV",
    "SMO",
    "SMO_NS",
]

SMO_NS = "https://w3id.org/sarcokg/ontology#"
ONTOLOGY_IRI = "https://w3id.org/sarcokg/ontology"
OBO = Namespace("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
BFO_PART_OF = OBO["BFO_0000050"]
IAO_DEFINITION = OBO["IAO_0000115"]


class SMO(DefinedNamespace):
    """The SarcoKG case-report model (``smo:``)."""

    _NS = Namespace(SMO_NS)
    _fail = True

    # classes
    CaseReport: URIRef
    Patient: URIRef
    Neoplasm: URIRef
    PrimaryTumor: URIRef
    Metastasis: URIRef
    LocalRecurrence: URIRef
    NegatedMetastasis: URIRef
    AnatomicalSite: URIRef
    Laterality: URIRef
    Sex: URIRef
    Histology: URIRef
    Treatment: URIRef
    Surgery: URIRef
    Chemotherapy: URIRef
    Radiotherapy: URIRef
    TargetedTherapy: URIRef
    Immunotherapy: URIRef
    OtherTreatment: URIRef
    Procedure: URIRef
    SurgicalProcedure: URIRef
    DiagnosticProcedure: URIRef
    RadiotherapyTechnique: URIRef
    DrugAgent: URIRef
    ChemotherapyAgent: URIRef
    TargetedAgent: URIRef
    ImmunotherapyAgent: URIRef
    SupportiveAgent: URIRef
    Regimen: URIRef
    ResponseAssessment: URIRef
    CompleteResponse: URIRef
    PartialResponse: URIRef
    StableDisease: URIRef
    ProgressiveDisease: URIRef
    Outcome: URIRef
    VitalStatus: URIRef
    # individuals
    Left: URIRef
    Right: URIRef
    Bilateral: URIRef
    Female: URIRef
    Male: URIRef
    Alive: URIRef
    Dead: URIRef
    UnknownVitalStatus: URIRef
    # object properties
    describesCase: URIRef
    hasPrimaryTumor: URIRef
    hasMetastasis: URIRef
    hasLocalRecurrence: URIRef
    hasNegatedMetastasis: URIRef
    hasSite: URIRef
    hasSubsite: URIRef
    hasLaterality: URIRef
    hasHistology: URIRef
    hasSex: URIRef
    hasTreatment: URIRef
    hasProcedure: URIRef
    hasAgent: URIRef
    hasRegimen: URIRef
    hasTargetSite: URIRef
    hasBestResponse: URIRef
    hasOutcome: URIRef
    hasVitalStatus: URIRef
    hasEvidence: URIRef
    hasComponent: URIRef
    # data properties
    caseId: URIRef
    ageYears: URIRef
    intervalMonths: URIRef
    isSynchronous: URIRef
    isUncertain: URIRef
    followUpMonths: URIRef
    pmid: URIRef
    pmcid: URIRef
    doi: URIRef
    journal: URIRef
    publicationYear: URIRef
    sourceFormat: URIRef
    sha256: URIRef
    reportText: URIRef
    # annotation properties / subsets
    organ_level: URIRef
    rollsUpTo: URIRef

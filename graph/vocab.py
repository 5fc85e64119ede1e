"""pyoxigraph constants for the terms the instance data and the ontology graphs use.

The ontology package names the model in rdflib terms (``SMO.Patient`` is a ``URIRef``); quads
for the store are pyoxigraph objects. This module converts once, so the mapping reads like the
model (``PATIENT``, ``HAS_METASTASIS``) and a typo is an import error, not a wrong IRI.

>>> PATIENT.value
'https://w3id.org/sarcokg/ontology#Patient'
>>> ONTOLOGY_GRAPH.value, CLOSURE_GRAPH.value
('https://w3id.org/sarcokg/ontology', 'https://w3id.org/sarcokg/ontology/closure')
"""

from __future__ import annotations

from pyoxigraph import NamedNode
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ontology import OA, ONTOLOGY_IRI, PROV, SMO


def node(iri: str) -> NamedNode:
    """A pyoxigraph IRI from any IRI string (``URIRef`` included).

    >>> node("https://w3id.org/sarcokg/ontology#Lung").value
    'https://w3id.org/sarcokg/ontology#Lung'
    """
    return NamedNode(str(iri))


# graphs
ONTOLOGY_GRAPH = node(ONTOLOGY_IRI)
CLOSURE_GRAPH = node(ONTOLOGY_IRI + "/closure")

# RDF, RDFS, XSD, Dublin Core
RDF_TYPE = node(RDF.type)
RDFS_LABEL = node(RDFS.label)
XSD_INTEGER = node(XSD.integer)
XSD_NON_NEGATIVE_INTEGER = node(XSD.nonNegativeInteger)
XSD_DECIMAL = node(XSD.decimal)
XSD_BOOLEAN = node(XSD.boolean)
XSD_DATE_TIME = node(XSD.dateTime)
XSD_STRING = node(XSD.string)
DCTERMS_TITLE = node(DCTERMS.title)

# PROV-O
PROV_ACTIVITY = node(PROV.Activity)
PROV_SOFTWARE_AGENT = node(PROV.SoftwareAgent)
PROV_ENTITY = node(PROV.Entity)
PROV_WAS_GENERATED_BY = node(PROV.wasGeneratedBy)
PROV_WAS_DERIVED_FROM = node(PROV.wasDerivedFrom)
PROV_WAS_ASSOCIATED_WITH = node(PROV.wasAssociatedWith)
PROV_ENDED_AT_TIME = node(PROV.endedAtTime)

# W3C Web Annotation
OA_ANNOTATION = node(OA.Annotation)
OA_SPECIFIC_RESOURCE = node(OA.SpecificResource)
OA_TEXT_POSITION_SELECTOR = node(OA.TextPositionSelector)
OA_TEXT_QUOTE_SELECTOR = node(OA.TextQuoteSelector)
OA_HAS_BODY = node(OA.hasBody)
OA_HAS_TARGET = node(OA.hasTarget)
OA_HAS_SOURCE = node(OA.hasSource)
OA_HAS_SELECTOR = node(OA.hasSelector)
OA_START = node(OA.start)
OA_END = node(OA.end)
OA_EXACT = node(OA.exact)

# the case-report model (smo:)
CASE_REPORT = node(SMO.CaseReport)
PATIENT = node(SMO.Patient)
PRIMARY_TUMOR = node(SMO.PrimaryTumor)
METASTASIS = node(SMO.Metastasis)
NEGATED_METASTASIS = node(SMO.NegatedMetastasis)
LOCAL_RECURRENCE = node(SMO.LocalRecurrence)
OUTCOME = node(SMO.Outcome)
SURGERY = node(SMO.Surgery)
CHEMOTHERAPY = node(SMO.Chemotherapy)
RADIOTHERAPY = node(SMO.Radiotherapy)
TARGETED_THERAPY = node(SMO.TargetedTherapy)
IMMUNOTHERAPY = node(SMO.Immunotherapy)
OTHER_TREATMENT = node(SMO.OtherTreatment)
LEFT = node(SMO.Left)
RIGHT = node(SMO.Right)
BILATERAL = node(SMO.Bilateral)
FEMALE = node(SMO.Female)
MALE = node(SMO.Male)
ALIVE = node(SMO.Alive)
DEAD = node(SMO.Dead)
UNKNOWN_VITAL_STATUS = node(SMO.UnknownVitalStatus)

DESCRIBES_CASE = node(SMO.describesCase)
HAS_PRIMARY_TUMOR = node(SMO.hasPrimaryTumor)
HAS_METASTASIS = node(SMO.hasMetastasis)
HAS_NEGATED_METASTASIS = node(SMO.hasNegatedMetastasis)
HAS_LOCAL_RECURRENCE = node(SMO.hasLocalRecurrence)
HAS_SITE = node(SMO.hasSite)
HAS_SUBSITE = node(SMO.hasSubsite)
HAS_LATERALITY = node(SMO.hasLaterality)
HAS_HISTOLOGY = node(SMO.hasHistology)
HAS_SEX = node(SMO.hasSex)
HAS_TREATMENT = node(SMO.hasTreatment)
HAS_PROCEDURE = node(SMO.hasProcedure)
HAS_AGENT = node(SMO.hasAgent)
HAS_REGIMEN = node(SMO.hasRegimen)
HAS_TARGET_SITE = node(SMO.hasTargetSite)
HAS_BEST_RESPONSE = node(SMO.hasBestResponse)
HAS_OUTCOME = node(SMO.hasOutcome)
HAS_VITAL_STATUS = node(SMO.hasVitalStatus)
HAS_EVIDENCE = node(SMO.hasEvidence)
ROLLS_UP_TO = node(SMO.rollsUpTo)

CASE_ID = node(SMO.caseId)
AGE_YEARS = node(SMO.ageYears)
INTERVAL_MONTHS = node(SMO.intervalMonths)
IS_SYNCHRONOUS = node(SMO.isSynchronous)
IS_UNCERTAIN = node(SMO.isUncertain)
FOLLOW_UP_MONTHS = node(SMO.followUpMonths)
PMID = node(SMO.pmid)
PMCID = node(SMO.pmcid)
DOI = node(SMO.doi)
JOURNAL = node(SMO.journal)
PUBLICATION_YEAR = node(SMO.publicationYear)
SOURCE_FORMAT = node(SMO.sourceFormat)
SHA256 = node(SMO.sha256)
REPORT_TEXT = node(SMO.reportText)

__all__ = sorted(["node", *(name for name, value in list(globals().items()) if isinstance(value, NamedNode))])

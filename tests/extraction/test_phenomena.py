"""One test per phenomenon of issue 3 item 2, on short synthetic reports written for these tests.

Every record's evidence spans are checked to be exact slices of the text (``extract`` fixture).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from loaders.records import CaseRecord
from tests.extraction.conftest import agents, met_sites

Extract = Callable[[str], CaseRecord]


def _met(record: CaseRecord, label: str):
    return next(m for m in record.metastases if m.site.label == label)


# -- patient ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("A 58-year-old woman presented with a thigh mass.", 58, "female"),
        ("We describe a 12-year-old boy with an osteosarcoma of the tibia.", 12, "male"),
        ("A 71-year-old female was admitted with abdominal pain.", 71, "female"),
        ("A 43-year old Hispanic man noticed a swelling of the arm.", 43, "male"),
        ("A 9-year-old girl had a painful knee.", 9, "female"),
        ("A thirty-five-year-old gentleman was referred.", 35, "male"),
    ],
)
def test_age_and_sex(extract: Extract, text: str, age: int, sex: str) -> None:
    record = extract(text)
    assert (record.patient.age, record.patient.sex) == (age, sex)


def test_sex_from_patient_noun_or_pronouns(extract: Extract) -> None:
    assert extract("A young male was seen for a mass of the buttock.").patient.sex == "male"
    record = extract(
        "The patient was referred with a leiomyosarcoma. She underwent resection and her recovery was good."
    )
    assert record.patient.sex == "female" and record.patient.age is None


# -- primary tumour ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "site", "laterality", "histology"),
    [
        (
            "A 60-year-old man had a renal leiomyosarcoma treated by nephrectomy.",
            "kidney",
            None,
            "leiomyosarcoma",
        ),
        (
            "She was diagnosed with a leiomyosarcoma of the left posterior thigh.",
            "thigh",
            "left",
            "leiomyosarcoma",
        ),
        (
            "Pathology showed a liposarcoma originating from the retroperitoneum.",
            "retroperitoneum",
            None,
            "liposarcoma",
        ),
        ("Histology confirmed an angiosarcoma arising in the breast.", "breast", None, "angiosarcoma"),
        (
            "We report an IVC leiomyosarcoma in a 55-year-old woman.",
            "inferior vena cava",
            None,
            "leiomyosarcoma",
        ),
        (
            "A 30-year-old man with a lower extremity synovial sarcoma was treated.",
            "lower limb",
            None,
            "synovial sarcoma",
        ),
        ("A 45-year-old man had a primary left atrial angiosarcoma.", "heart", "left", "angiosarcoma"),
        (
            "A DFSP nodule on his right forearm was excised.",
            "upper limb",
            "right",
            "dermatofibrosarcoma protuberans",
        ),
    ],
)
def test_primary_site_histology_laterality(
    extract: Extract, text: str, site: str, laterality: str | None, histology: str
) -> None:
    p = extract(text).primary_tumor
    assert p.site is not None and p.histology is not None
    assert p.site.label == site
    assert p.laterality == laterality
    assert p.histology.label == histology


def test_subsite_is_the_most_specific_site(extract: Extract) -> None:
    p = extract("A 20-year-old man had an osteosarcoma of the left femur.").primary_tumor
    assert p.site is not None and p.site.label == "bone"
    assert p.subsite is not None and p.subsite.label == "femur"
    assert p.laterality == "left"


def test_primary_from_a_lesion_called_primary(extract: Extract) -> None:
    text = (
        "A 70-year-old man had an undifferentiated pleomorphic sarcoma. "
        "The right pubic primary lesion shrank after radiotherapy."
    )
    p = extract(text).primary_tumor
    assert p.subsite is not None and p.subsite.label == "pubis"
    assert p.laterality == "right"


def test_abbreviation_defined_in_the_text(extract: Extract) -> None:
    # "CCSST" is no synonym in the ontology: the report defines it, so it counts as that histology
    text = (
        "Clear cell sarcoma of soft tissue (CCSST) is exceptionally rare in adults. "
        "A 33-year-old woman presented with a CCSST of the left foot region. "
        "A biopsy confirmed CCSST, and wide excision was performed."
    )
    p = extract(text).primary_tumor
    assert p.histology is not None and p.histology.label == "clear cell sarcoma of soft tissue"


def test_abbreviation_defined_as_something_else_is_not_the_ontology_term(extract: Extract) -> None:
    text = (
        "A 50-year-old woman had a uterine leiomyosarcoma. Staining for progesterone receptor (PR) "
        "was strong. PR expression was also seen in the metastasis."
    )
    assert extract(text).best_response is None
    assert extract("After six cycles of doxorubicin, a PR was achieved.").best_response is not None


@pytest.mark.parametrize(
    "misdiagnosis",
    [
        "Under the clinical diagnosis of renal cell carcinoma, a nephrectomy was performed.",
        "A nephrectomy was performed on suspicion of renal cell carcinoma.",
        "The tumour was initially misdiagnosed as renal cell carcinoma.",
        "The differential diagnosis included renal cell carcinoma and lymphoma.",
    ],
)
def test_preoperative_misdiagnosis_is_not_the_histology(extract: Extract, misdiagnosis: str) -> None:
    text = (
        f"A 61-year-old woman had a kidney mass. {misdiagnosis} "
        "Histology showed a leiomyosarcoma of the kidney."
    )
    p = extract(text).primary_tumor
    assert p.histology is not None and p.histology.label == "leiomyosarcoma"
    assert p.site is not None and p.site.label == "kidney"


def test_mimicked_organ_is_not_the_primary_site(extract: Extract) -> None:
    text = (
        "We report a retroperitoneal liposarcoma mimicking a pancreatic tumor in a 52-year-old man. "
        "The liposarcoma originated in the retroperitoneum and was resected."
    )
    record = extract(text)
    assert record.primary_tumor.site is not None and record.primary_tumor.site.label == "retroperitoneum"
    assert met_sites(record) == set()


def test_second_cancer_is_not_the_sarcoma(extract: Extract) -> None:
    text = (
        "A 66-year-old man underwent gastrectomy for gastric adenocarcinoma in 2010. "
        "Three years after surgery for gastric adenocarcinoma, a mass of the right thigh was found, "
        "and biopsy of the thigh mass showed a myxofibrosarcoma. The myxofibrosarcoma was excised."
    )
    record = extract(text)
    assert record.primary_tumor.histology is not None
    assert record.primary_tumor.histology.label == "myxofibrosarcoma"
    assert record.primary_tumor.site is not None and record.primary_tumor.site.label == "thigh"
    assert "stomach" not in met_sites(record)


@pytest.mark.parametrize(
    "general",
    [
        "Undifferentiated pleomorphic sarcoma comes back mostly in the lungs.",
        "Sarcomas of the limbs tend to spread to the lungs.",
        "The usual metastatic sites of this tumour are the lung, bone and brain.",
        "Distant spread of this tumour usually involves the lung.",
        "Most solitary fibrous tumors originate in the pleura.",
    ],
)
def test_general_statements_yield_no_facts(extract: Extract, general: str) -> None:
    text = (
        f"{general} A 48-year-old woman had a leiomyosarcoma of the uterus. "
        "Two years later, liver metastases were found."
    )
    record = extract(text)
    assert met_sites(record) == {"liver"}
    assert record.primary_tumor.site is not None and record.primary_tumor.site.label == "uterus"


# -- metastases and intervals --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "site", "months"),
    [
        ("Lung metastases were detected 15 months after nephrectomy.", "lung", 15),
        ("Two years later, liver metastases appeared.", "liver", 24),
        ("Pleural metastases were found six years after the first operation.", "pleura", 72),
        ("She presented approximately 3 years later with bone metastases.", "bone", 36),
        ("Skeletal metastases developed within 6 weeks of diagnosis.", "bone", 2),
        ("At presentation, staging showed synchronous lung metastases.", "lung", 0),
        ("Twenty years after hysterectomy, multiple lung metastases were found.", "lung", 240),
    ],
)
def test_interval_expressions(extract: Extract, sentence: str, site: str, months: int) -> None:
    text = f"A 50-year-old woman underwent resection of a leiomyosarcoma of the thigh. {sentence}"
    record = extract(text)
    assert _met(record, site).interval_months == months


def test_interval_when_the_primary_was_years_before_the_presentation(extract: Extract) -> None:
    text = (
        "A 68-year-old man presented with two skin nodules of the back. "
        "Eight years ago, he had been diagnosed with a retroperitoneal leiomyosarcoma, which was resected. "
        "Biopsy of a nodule was consistent with metastatic leiomyosarcoma."
    )
    record = extract(text)
    assert _met(record, "skin").interval_months == 96


def test_interval_from_dates(extract: Extract) -> None:
    text = (
        "A 30-year-old man was diagnosed in 2009 with an osteosarcoma of the right tibia, "
        "which was resected. He remained well until May 2014, when he presented with cough. "
        "Computed tomography revealed pulmonary metastases."
    )
    assert _met(extract(text), "lung").interval_months == 60


def test_chained_intervals_and_follow_up(extract: Extract) -> None:
    text = (
        "A 45-year-old woman had a myxoid liposarcoma of the left thigh resected 4 years ago, and now "
        "presented with a solitary liver metastasis of myxoid liposarcoma, which was resected. "
        "Following 10 months of disease-free survival, a local recurrence in the left thigh was excised. "
        "She is alive and free of disease 12 months after that second operation."
    )
    record = extract(text)
    assert _met(record, "liver").interval_months == 48
    assert [r.interval_months for r in record.local_recurrences] == [58]
    assert record.outcome.status == "alive" and record.outcome.follow_up_months == 70


@pytest.mark.parametrize(
    ("sentence", "sites"),
    [
        ("Lung and liver metastases were found one year later.", {"lung", "liver"}),
        ("Metastases then developed in the lungs, liver and spleen.", {"lung", "liver", "spleen"}),
        ("CT showed bone and adrenal metastases.", {"bone", "adrenal gland"}),
        ("She developed metastases to the brain and the kidney.", {"brain", "kidney"}),
    ],
)
def test_several_sites_in_one_phrase(extract: Extract, sentence: str, sites: set[str]) -> None:
    text = f"A 44-year-old woman had a synovial sarcoma of the knee joint region. {sentence}"
    assert met_sites(extract(text)) == sites


def test_lesion_called_metastatic_in_the_same_sentence(extract: Extract) -> None:
    text = (
        "A 59-year-old man had a leiomyosarcoma of the thigh. "
        "A liver nodule resected by laparoscopy was identified as metastatic leiomyosarcoma."
    )
    assert met_sites(extract(text)) == {"liver"}


def test_lesion_called_metastatic_sentences_later(extract: Extract) -> None:
    text = (
        "A 59-year-old man had a leiomyosarcoma of the thigh. Ultrasound showed a splenic mass. "
        "Laboratory values were normal. A splenectomy was performed. "
        "Metastatic leiomyosarcoma was diagnosed histologically."
    )
    record = extract(text)
    assert met_sites(record) == {"spleen"}
    assert "splenectomy" in {t.procedure.label for t in record.treatments if t.procedure}


def test_subsites_roll_up_to_one_organ(extract: Extract) -> None:
    text = (
        "A 66-year-old man had a leiomyosarcoma of the right thigh. CT showed a metastasis in the head of "
        "the pancreas at presentation. Nine months later a nodule in the tail of the pancreas was found, "
        "and biopsy confirmed metastatic leiomyosarcoma."
    )
    record = extract(text)
    (pancreas,) = record.metastases
    assert pancreas.site.label == "pancreas" and pancreas.interval_months == 0
    assert pancreas.subsite is not None and pancreas.subsite.label == "pancreatic head"


def test_local_recurrence_is_not_a_metastasis(extract: Extract) -> None:
    text = (
        "A 51-year-old woman had a hysterectomy for a uterine leiomyosarcoma. "
        "A year later she had lung metastases and a locally recurrent tumor in the vaginal stump."
    )
    record = extract(text)
    assert met_sites(record) == {"lung"}
    assert [r.site.label for r in record.local_recurrences if r.site] == ["vagina"]


def test_recurrence_at_the_resection_site_is_local(extract: Extract) -> None:
    text = (
        "A 62-year-old man had a solitary fibrous tumor of the liver resected. Five years later CT showed "
        "a recurrent tumor next to the resection bed and peritoneal metastatic implants."
    )
    record = extract(text)
    assert met_sites(record) == {"peritoneum"}
    assert len(record.local_recurrences) == 1


# -- negation and uncertainty ------------------------------------------------------------------
def test_generic_negation_names_no_site(extract: Extract) -> None:
    text = (
        "A 66-year-old woman had a leiomyosarcoma of the thigh and a pancreatic mass at presentation. "
        "No evidence of other distant metastases was seen. Metastatic leiomyosarcoma was diagnosed."
    )
    record = extract(text)
    assert met_sites(record) == {"pancreas"} and record.negated_metastases == []


@pytest.mark.parametrize(
    "negation",
    [
        "Despite extensive bone disease, the lungs remained uninvolved.",
        "Imaging found bone metastases but no pulmonary involvement.",
        "Chest CT showed no evidence of lung metastases.",
    ],
)
def test_negated_site(extract: Extract, negation: str) -> None:
    text = f"A 15-year-old boy had an Ewing sarcoma with skeletal metastases at diagnosis. {negation}"
    record = extract(text)
    assert "lung" not in met_sites(record)
    assert {n.site.label for n in record.negated_metastases} == {"lung"}


def test_site_proven_elsewhere_beats_a_generic_negation(extract: Extract) -> None:
    text = (
        "A 50-year-old woman had a sarcoma of the left atrium. Subsequent disease sites included the "
        "colon and the adrenal gland. CT showed no evidence of recurrence or any colonic abnormalities."
    )
    record = extract(text)
    assert {"colon", "adrenal gland"} <= met_sites(record)
    assert "colon" not in {n.site.label for n in record.negated_metastases}


def test_uncertain_lesion_is_kept_and_marked(extract: Extract) -> None:
    text = (
        "A 53-year-old man had an angiosarcoma of the scalp. Follow-up PET showed a liver lesion and a "
        "nodule in the adrenal gland, both suspicious for metastases."
    )
    record = extract(text)
    assert met_sites(record) == {"liver", "adrenal gland"}
    assert all(m.uncertain for m in record.metastases)


# -- treatments --------------------------------------------------------------------------------
def test_regimen_abbreviation_expands_to_agents(extract: Extract) -> None:
    text = (
        "A 60-year-old woman with lung metastases of a uterine leiomyosarcoma received GD therapy "
        "with G-CSF support."
    )
    record = extract(text)
    assert agents(record) == {"gemcitabine", "docetaxel"}  # G-CSF is supportive
    (chemo,) = [t for t in record.treatments if t.kind == "chemotherapy"]
    assert chemo.regimen is not None and chemo.regimen.label == "GD regimen"


def test_regimen_with_doses_and_supportive_agent(extract: Extract) -> None:
    text = (
        "A 19-year-old man with osteosarcoma was given the API regimen (adriamycin 60 mg/m2, "
        "ifosfamide 2 g/m2 with mesna, cisplatin 60 mg/m2)."
    )
    assert agents(extract(text)) == {"doxorubicin", "ifosfamide", "cisplatin"}


@pytest.mark.parametrize(
    "not_given",
    [
        "We recommended adjuvant chemotherapy with doxorubicin to the patient, but she declined.",
        "Trabectedin was offered as second-line therapy, which she refused.",
        "Treatment options available for her disease, such as eribulin, were discussed.",
    ],
)
def test_treatments_not_given(extract: Extract, not_given: str) -> None:
    text = f"A 55-year-old woman had a leiomyosarcoma of the thigh, treated by wide excision. {not_given}"
    record = extract(text)
    assert agents(record) == set()
    assert {t.kind for t in record.treatments} == {"surgery"}


def test_radiotherapy_technique_and_targeted_therapy(extract: Extract) -> None:
    text = (
        "A 40-year-old man with an alveolar soft part sarcoma of the thigh was treated with "
        "intensity-modulated radiation therapy and then received pazopanib for lung metastases."
    )
    record = extract(text)
    kinds = {t.kind: t for t in record.treatments}
    rt = kinds["radiotherapy"]
    assert rt.procedure is not None and rt.procedure.label == "intensity-modulated radiation therapy"
    assert [a.label for a in kinds["targeted therapy"].agents] == ["pazopanib"]


# -- response and outcome ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "response"),
    [
        ("After four cycles a partial response was achieved.", "partial response"),
        ("Restaging showed a PR of the lung lesions.", "partial response"),
        (
            "After an initial progression, a complete remission was achieved.",
            "complete response",
        ),
        ("Unfortunately, disease progression was observed.", "progressive disease"),
    ],
)
def test_best_response(extract: Extract, sentence: str, response: str) -> None:
    text = f"A 47-year-old woman with lung metastases of a leiomyosarcoma received doxorubicin. {sentence}"
    best = extract(text).best_response
    assert best is not None and best.label == response


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("The patient died of respiratory failure.", "dead"),
        ("She expired two months later.", "dead"),
        ("She is alive and well.", "alive"),
        ("She is free of disease at the last visit.", "alive"),
        ("She continues on maintenance treatment.", "alive"),
        ("She was discharged home, with follow-up by her family doctor.", "alive"),
        ("She had been well until the diagnosis.", "unknown"),
    ],
)
def test_outcome(extract: Extract, sentence: str, status: str) -> None:
    text = f"A 47-year-old woman had a leiomyosarcoma of the uterus with lung metastases. {sentence}"
    assert extract(text).outcome.status == status


def test_follow_up_months_from_the_timeline(extract: Extract) -> None:
    text = (
        "A 30-year-old woman had an osteosarcoma of the pelvis resected. Lung metastases appeared ten months "
        "after the operation, and she died five months after that."
    )
    record = extract(text)
    assert _met(record, "lung").interval_months == 10
    assert record.outcome.status == "dead" and record.outcome.follow_up_months == 15


# -- further phrasing ----------------------------------------------------------------------------
def test_resection_of_metastases_names_the_site(extract: Extract) -> None:
    text = (
        "A 40-year-old man had a leiomyosarcoma of the thigh. Two years later he underwent resection of "
        "lung metastases, and a hepatic metastasectomy followed a year after that."
    )
    record = extract(text)
    assert met_sites(record) == {"lung", "liver"}
    assert _met(record, "lung").interval_months == 24


def test_staging_negative_for_metastases_calls_no_lesion_metastatic(extract: Extract) -> None:
    text = (
        "A 70-year-old man had a 5 cm soft-tissue mass in the right gluteal region. Needle biopsy showed "
        "myxofibrosarcoma. Staging CT was negative for distant metastases. He underwent wide resection. "
        "Eighteen months later a mass in the left adrenal gland was removed; adrenalectomy confirmed "
        "metastatic myxofibrosarcoma."
    )
    record = extract(text)
    assert record.primary_tumor.site is not None and record.primary_tumor.site.label == "buttock"
    assert record.primary_tumor.laterality == "right"
    assert [(m.site.label, m.laterality, m.interval_months) for m in record.metastases] == [
        ("adrenal gland", "left", 18)
    ]


def test_bone_metastases_of_a_bone_primary(extract: Extract) -> None:
    text = (
        "A 17-year-old boy with osteosarcoma of the distal femur received MAP chemotherapy. A year later, "
        "PET-CT showed uptake in the humerus, consistent with bone metastases. The lungs were clear."
    )
    record = extract(text)
    assert met_sites(record) == {"bone"}
    assert agents(record) == {"methotrexate", "doxorubicin", "cisplatin"}
    assert {n.site.label for n in record.negated_metastases} == {"lung"}


def test_title_line_places_nothing_in_time(extract: Extract) -> None:
    text = (
        "Lung metastases of a uterine leiomyosarcoma\n"
        "A 59-year-old woman underwent hysterectomy for a uterine leiomyosarcoma in 2001. "
        "In 2008, CT showed metastases in both lungs."
    )
    lung = _met(extract(text), "lung")
    assert lung.interval_months == 84 and lung.laterality == "bilateral"


def test_case_series_gives_one_record_per_patient() -> None:
    from loaders import SourceDocument, extract_document

    text = (
        "Two cases of pancreatic metastasis\n\n"
        "Case 1\nA 54-year-old woman had a leiomyosarcoma of the right thigh resected in 2010. "
        "Three years later a pancreatic metastasis was found. She is alive.\n\n"
        "Case 2\nA 61-year-old man with a synovial sarcoma of the left shoulder developed lung metastases "
        "2 years after surgery. He died 8 months later.\n\n"
        "Discussion\nPancreatic metastases of sarcoma are rare."
    )
    first, second = extract_document(SourceDocument(doc_id="series", text=text))
    assert (first.case_id, first.patient.age, first.patient.sex) == ("series-1", 54, "female")
    assert [(m.site.label, m.interval_months) for m in first.metastases] == [("pancreas", 36)]
    assert first.outcome.status == "alive"
    assert (second.case_id, second.patient.age, second.primary_tumor.laterality) == ("series-2", 61, "left")
    assert [(m.site.label, m.interval_months) for m in second.metastases] == [("lung", 24)]
    assert second.outcome.status == "dead"

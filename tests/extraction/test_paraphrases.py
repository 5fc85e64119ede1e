"""Paraphrase probes: each phenomenon of the extraction issue in wording of our own.

Every text is invented for these tests (none is taken from a published report): the same
phenomena as ``test_phenomena`` in other words - passive and active voice, other verbs,
British spelling, numbers as words, "secondary deposits", "spread to", "was found to have",
"post-operatively", "after that", "lost to follow-up", "declined", "planned but not given",
"no signs of", "negative for", "unremarkable" - so that a rule fitted to one phrasing fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from loaders.records import CaseRecord
from tests.extraction.conftest import agents, met_sites

Extract = Callable[[str], CaseRecord]

PROBES = [
    pytest.param(
        (
            "A sixty-two-year-old gentleman was seen for a painless lump in his left calf. Biopsy showed "
            "a myxofibrosarcoma."
        ),
        {"age": 62, "sex": "male", "site": "lower leg", "hist": "myxofibrosarcoma"},
        id="age1",
    ),
    pytest.param(
        (
            "The patient, a 39 year old lady, noticed a swelling of the right buttock; a synovial sarcoma"
            " was diagnosed."
        ),
        {"age": 39, "sex": "female", "hist": "synovial sarcoma"},
        id="age2",
    ),
    pytest.param(
        "We describe a 7-year-old girl with an embryonal rhabdomyosarcoma of the orbit.",
        {"age": 7, "sex": "female", "hist": "embryonal rhabdomyosarcoma"},
        id="age3",
    ),
    pytest.param(
        (
            "A 58-year-old woman was operated on for what was presumed to be a uterine fibroid; the final"
            " pathology showed a leiomyosarcoma of the uterus."
        ),
        {"site": "uterus", "hist": "leiomyosarcoma"},
        id="prim1",
    ),
    pytest.param(
        (
            "A 44-year-old man had a dedifferentiated liposarcoma (DDLPS) arising within the "
            "retroperitoneum. The DDLPS was excised en bloc."
        ),
        {"site": "retroperitoneum", "hist": "dedifferentiated liposarcoma"},
        id="prim2",
    ),
    pytest.param(
        (
            "A 35-year-old woman presented with a mass of the left forearm, initially thought to be a "
            "ganglion cyst. Excisional biopsy revealed an epithelioid sarcoma."
        ),
        {"site": "upper limb", "lat": "left", "hist": "epithelioid sarcoma"},
        id="prim3",
    ),
    pytest.param(
        (
            "A 61-year-old man had a leiomyosarcoma of the thigh resected. Eighteen months "
            "post-operatively, CT demonstrated metastatic foci in the liver."
        ),
        {"mets": {"liver"}, "interval": {"liver": 18}},
        id="met1",
    ),
    pytest.param(
        (
            "A 52-year-old woman underwent excision of a synovial sarcoma of the knee. Three years "
            "afterwards secondary deposits in both lungs were detected."
        ),
        {"mets": {"lung"}, "interval": {"lung": 36}},
        id="met2",
    ),
    pytest.param(
        (
            "A 47-year-old man was treated for an osteosarcoma of the femur. Two years later the disease "
            "had spread to the lungs and the spine."
        ),
        {"mets": {"bone", "lung"}},
        id="met3",
    ),
    pytest.param(
        (
            "A 66-year-old woman with a retroperitoneal leiomyosarcoma was found to have lung metastases "
            "at the time of diagnosis."
        ),
        {"mets": {"lung"}, "interval": {"lung": 0}},
        id="met4",
    ),
    pytest.param(
        (
            "A 29-year-old man presented with an Ewing sarcoma of the pelvis and synchronous pulmonary "
            "nodules, which proved metastatic on biopsy."
        ),
        {"mets": {"lung"}, "interval": {"lung": 0}},
        id="met5",
    ),
    pytest.param(
        (
            "A 70-year-old woman had her angiosarcoma of the breast removed. Nine months after mastectomy"
            " she developed bone and liver secondaries."
        ),
        {"mets": {"liver", "bone"}, "interval": {"bone": 9, "liver": 9}},
        id="met6",
    ),
    pytest.param(
        (
            "A 55-year-old man had a myxoid liposarcoma of the thigh excised. Four years later, imaging "
            "revealed metastatic lesions in the spine, pelvis and retroperitoneum."
        ),
        {"mets": {"retroperitoneum", "pelvis", "bone"}},
        id="met7",
    ),
    pytest.param(
        (
            "A 49-year-old woman had a uterine leiomyosarcoma treated by hysterectomy. A brain lesion "
            "discovered twenty-six months later was resected, and histology confirmed metastatic "
            "leiomyosarcoma."
        ),
        {"mets": {"brain"}, "interval": {"brain": 26}},
        id="met8",
    ),
    pytest.param(
        (
            "A 60-year-old man had a synovial sarcoma of the foot. Five years after amputation, the "
            "tumour metastasised to the lung."
        ),
        {"mets": {"lung"}, "interval": {"lung": 60}},
        id="met9",
    ),
    pytest.param(
        (
            "A 40-year-old woman had an alveolar soft part sarcoma of the thigh. At initial staging, "
            "metastatic disease was already present in the lungs and brain."
        ),
        {"mets": {"brain", "lung"}, "interval": {"lung": 0, "brain": 0}},
        id="met10",
    ),
    pytest.param(
        (
            "A 63-year-old man had a liposarcoma of the retroperitoneum resected. Two years later a "
            "recurrent mass was seen in the surgical bed, together with liver metastases."
        ),
        {"mets": {"liver"}, "lr": 1},
        id="rec1",
    ),
    pytest.param(
        (
            "A 50-year-old woman had a leiomyosarcoma of the uterus. Staging CT showed no signs of "
            "distant metastases, and the liver was unremarkable."
        ),
        {"mets": set(), "neg_not_met": {"liver"}},
        id="neg1",
    ),
    pytest.param(
        (
            "A 45-year-old man had a synovial sarcoma of the knee. Chest imaging was negative for "
            "pulmonary metastases."
        ),
        {"mets": set(), "neg_not_met": {"lung"}},
        id="neg2",
    ),
    pytest.param(
        (
            "A 53-year-old woman had a leiomyosarcoma of the thigh resected; she remained free of "
            "metastatic disease, with clear lungs on CT."
        ),
        {"mets": set()},
        id="neg3",
    ),
    pytest.param(
        (
            "A 64-year-old man had bone metastases from a leiomyosarcoma of the thigh, but the brain MRI "
            "showed no metastatic lesions."
        ),
        {"mets": {"bone"}, "neg_not_met": {"brain"}},
        id="neg4",
    ),
    pytest.param(
        (
            "A 57-year-old woman had a leiomyosarcoma of the uterus. A lung nodule suspicious for "
            "metastasis was seen on follow-up CT."
        ),
        {"mets": {"lung"}, "uncertain": {"lung"}},
        id="unc1",
    ),
    pytest.param(
        (
            "Angiosarcomas frequently spread to the liver and lungs. A 61-year-old man had an "
            "angiosarcoma of the scalp."
        ),
        {"mets": set(), "site": "scalp"},
        id="gen1",
    ),
    pytest.param(
        (
            "Most leiomyosarcomas arise in the uterus or the retroperitoneum. A 56-year-old man had a "
            "leiomyosarcoma of the thigh."
        ),
        {"site": "thigh"},
        id="gen2",
    ),
    pytest.param(
        (
            "Liposarcoma metastasises to the lung far less often than other sarcomas. A 48-year-old man "
            "had a liposarcoma of the thigh; no metastases were found."
        ),
        {"mets": set(), "site": "thigh"},
        id="gen3",
    ),
    pytest.param(
        (
            "Patients with synovial sarcoma develop lung metastases in about half of cases. Our patient, "
            "a 33-year-old woman, had a synovial sarcoma of the ankle."
        ),
        {"mets": set()},
        id="gen4",
    ),
    pytest.param(
        "Desmoid tumours seldom metastasise. A 30-year-old woman had a desmoid tumour of the abdominal wall.",
        {"mets": set()},
        id="gen5",
    ),
    pytest.param(
        (
            "A 68-year-old man had lung metastases of a leiomyosarcoma. Chemotherapy with doxorubicin was"
            " proposed, but he declined further treatment."
        ),
        {"agents": set()},
        id="tx1",
    ),
    pytest.param(
        (
            "A 59-year-old woman with liver metastases of a leiomyosarcoma received six cycles of "
            "gemcitabine plus docetaxel; adjuvant radiotherapy was planned but not given."
        ),
        {"agents": {"gemcitabine", "docetaxel"}, "no_kind": {"radiotherapy"}},
        id="tx2",
    ),
    pytest.param(
        (
            "A 42-year-old man with metastatic synovial sarcoma was given ifosfamide and, after "
            "progression, pazopanib."
        ),
        {"agents": {"pazopanib", "ifosfamide"}},
        id="tx3",
    ),
    pytest.param(
        (
            "A 50-year-old woman with lung metastases of a leiomyosarcoma was offered trabectedin, which "
            "she refused."
        ),
        {"agents": set()},
        id="tx4",
    ),
    pytest.param(
        (
            "A 55-year-old man with lung metastases of a leiomyosarcoma of the thigh died of disease 14 "
            "months after diagnosis."
        ),
        {"status": "dead", "follow": 14},
        id="out1",
    ),
    pytest.param(
        (
            "A 60-year-old woman with a leiomyosarcoma of the uterus and liver metastases was lost to "
            "follow-up after her second cycle of chemotherapy."
        ),
        {"status": "unknown"},
        id="out2",
    ),
    pytest.param(
        (
            "A 48-year-old woman had a leiomyosarcoma of the thigh resected. She is alive with disease "
            "thirty months after surgery."
        ),
        {"status": "alive", "follow": 30},
        id="out3",
    ),
    pytest.param(
        "A 58-year-old man had lung metastases of a synovial sarcoma. He passed away eight months later.",
        {"status": "dead", "follow": 8},
        id="out4",
    ),
    pytest.param(
        (
            "A 45-year-old woman with lung metastases of a leiomyosarcoma received doxorubicin. The lung "
            "lesions shrank, amounting to a partial response. She remains well two years on."
        ),
        {"resp": "partial response", "status": "alive"},
        id="out5",
    ),
    pytest.param(
        (
            "A 52-year-old man had a leiomyosarcoma of the thigh excised. Lung metastases were resected "
            "two years later. Thereafter he stayed disease free for 18 months, after which liver "
            "metastases appeared."
        ),
        {"mets": {"liver", "lung"}, "interval": {"lung": 24, "liver": 42}},
        id="chain1",
    ),
    pytest.param(
        (
            "A 41-year-old woman underwent resection of a uterine leiomyosarcoma. One year later a lung "
            "metastasis was removed; fourteen months after that, she developed bone metastases."
        ),
        {"mets": {"bone", "lung"}, "interval": {"lung": 12, "bone": 26}},
        id="chain2",
    ),
    pytest.param(
        (
            "A 50-year-old woman had a leiomyosarcoma of the uterus. Eleven months post-operatively, CT "
            "revealed hepatic and splenic metastases."
        ),
        {"mets": {"spleen", "liver"}, "interval": {"liver": 11, "spleen": 11}},
        id="b1",
    ),
    pytest.param(
        (
            "A 37-year-old man with an osteosarcoma of the tibia was noted to have pulmonary deposits at "
            "diagnosis."
        ),
        {"mets": {"lung"}, "interval": {"lung": 0}},
        id="b2",
    ),
    pytest.param(
        (
            "A 62-year-old woman had a leiomyosarcoma of the thigh. An abdominal CT showed no evidence of"
            " metastatic spread to the liver or adrenal glands."
        ),
        {"mets": set(), "neg_not_met": {"liver", "adrenal gland"}},
        id="b3",
    ),
    pytest.param(
        (
            "A 71-year-old man had a pleomorphic sarcoma of the arm. The bone scan was unremarkable and "
            "the lungs were clear."
        ),
        {"mets": set()},
        id="b4",
    ),
    pytest.param(
        (
            "A 46-year-old woman had a synovial sarcoma of the thigh. Radiotherapy was recommended, but "
            "the patient opted for observation. She died of disease three years later."
        ),
        {"no_kind": {"radiotherapy"}, "status": "dead", "follow": 36},
        id="b5",
    ),
    pytest.param(
        (
            "A 38-year-old woman had a leiomyosarcoma of the uterus. At the time of surgery, peritoneal "
            "implants were found; she subsequently received doxorubicin and ifosfamide."
        ),
        {"mets": {"peritoneum"}, "interval": {"peritoneum": 0}, "agents": {"doxorubicin", "ifosfamide"}},
        id="b6",
    ),
    pytest.param(
        (
            "A 54-year-old man had a liposarcoma of the thigh. The tumour metastasized to the lungs 30 "
            "months after surgery, and he is currently alive."
        ),
        {"mets": {"lung"}, "interval": {"lung": 30}, "status": "alive"},
        id="b7",
    ),
    pytest.param(
        (
            "A 66-year-old woman had a leiomyosarcoma of the kidney. Two years later, a lesion possibly "
            "representing a metastasis was seen in the pancreas."
        ),
        {"mets": {"pancreas"}, "uncertain": {"pancreas"}},
        id="b8",
    ),
    pytest.param(
        (
            "Sarcomas of this kind seldom involve the lymph nodes. A 60-year-old man had a "
            "myxofibrosarcoma of the thigh with no lymph node involvement."
        ),
        {"mets": set(), "site": "thigh"},
        id="b9",
    ),
    pytest.param(
        (
            "A 43-year-old woman had an undifferentiated pleomorphic sarcoma of the thigh. She received "
            "neoadjuvant radiotherapy followed by wide excision, and remains disease-free at 24 months."
        ),
        {"status": "alive", "follow": 24},
        id="b10",
    ),
    pytest.param(
        (
            "A 57-year-old man had a leiomyosarcoma of the thigh. Eighteen months later, metastatic "
            "nodules were identified within the right lung; these were treated with stereotactic "
            "radiotherapy."
        ),
        {"mets": {"lung"}, "interval": {"lung": 18}},
        id="b11",
    ),
    pytest.param(
        (
            "A 65-year-old woman had a uterine leiomyosarcoma. Four years later she was found to have a "
            "brain metastasis; one year after that, the disease spread to the liver."
        ),
        {"mets": {"brain", "liver"}, "interval": {"brain": 48, "liver": 60}},
        id="b12",
    ),
]


def _observed(record: CaseRecord, key: str, want: Any) -> Any:
    p = record.primary_tumor
    if key == "age":
        return record.patient.age
    if key == "sex":
        return record.patient.sex
    if key == "site":  # the primary's organ-level site or its sub-site
        labels = {t.label for t in (p.site, p.subsite) if t is not None}
        return want if want in labels else labels
    if key == "lat":
        return p.laterality
    if key == "hist":
        return p.histology.label if p.histology else None
    if key == "mets":
        return met_sites(record)
    if key == "interval":
        return {m.site.label: m.interval_months for m in record.metastases if m.site.label in want}
    if key == "lr":
        return len(record.local_recurrences)
    if key == "neg_not_met":  # sites stated uninvolved must not come out as metastases
        return want - met_sites(record)
    if key == "uncertain":
        return {m.site.label for m in record.metastases if m.uncertain}
    if key == "agents":
        return agents(record)
    if key == "no_kind":  # treatment kinds that were not given
        return want - {t.kind for t in record.treatments}
    if key == "status":
        return record.outcome.status
    if key == "follow":
        return record.outcome.follow_up_months
    if key == "resp":
        return record.best_response.label if record.best_response else None
    raise AssertionError(f"unknown expectation {key}")


@pytest.mark.parametrize(("text", "expected"), PROBES)
def test_paraphrased_phenomenon(extract: Extract, text: str, expected: dict[str, Any]) -> None:
    record = extract(text)
    for key, want in expected.items():
        got = _observed(record, key, want)
        if key == "interval":
            assert set(got) == set(want), (key, got)
            assert all(got[s] is not None and abs(got[s] - want[s]) <= 1 for s in want), (key, got)
        elif key == "follow":
            assert got is not None and abs(got - want) <= 1, (key, got)
        else:
            assert got == want, (key, got)

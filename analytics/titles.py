"""Job-title coding: normalize posted job titles and match them to O*NET-SOC titles.

A posted title ("CNA - Nights - Float Pool - $2,000 Sign-On") is first reduced to the job it
names ("nursing assistant"): levels, shifts, schedules, pay and bonus text, requisition numbers,
locations, units and credentials are dropped, and abbreviations that name a job are spelled out.
The same normalization is applied to O*NET's occupation, alternate and reported titles, which
form the dictionary (`build_title_index`). `code_titles` codes each distinct normalized title
once: accepted corrections first, then an exact dictionary lookup, then the longest known job at
the end of the title (English titles put the job last: "neuroscience research technician"), and
last a fuzzy match that weighs shared words by how rare they are and tolerates misspellings.

Where O*NET lists one title under several SOC codes, the code is settled in this order: a house
rule (`HOUSE_TITLES`, each with its reason), the occupation whose official title it is, the
weightier and more numerous O*NET entries (occupation > alternate > reported), a specific
occupation over an "All Other" one, a healthcare or life-science code over another, the
occupation with more titles built on this one, code order. The confidence says how that went.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import polars as pl
from rapidfuzz import fuzz, process

from analytics.schemas import CodedTitleSchema

# How much one dictionary entry says about its SOC: O*NET's own occupation title counts most.
KIND_WEIGHT = {"occupation": 3, "alternate": 2, "reported": 1}

# Confidence of an exact match, by what settled the SOC when O*NET lists the title more than once.
CONFIDENCE = {
    "unique": 1.0,  # one SOC carries the title
    "official": 0.98,  # it is one occupation's official title
    "house": 0.97,  # a house rule settles it
    "support": 0.9,  # one SOC has weightier or more O*NET entries for it
    "specific": 0.85,  # the others are "All Other" occupations
    "domain": 0.8,  # the healthcare/life-science preference separates them
    "family": 0.7,  # one SOC has more titles built on this one
    "tie": 0.6,  # nothing separates them; code order decides
}
_FUZZY_CAP = 0.95  # a fuzzy match is never as sure as an exact one
_FUZZY_FLOOR = 0.5  # below this weighted word overlap nothing plausible was found

# SOC codes of the product's domain, preferred when nothing else separates two codes.
_DOMAIN_PREFIXES = (
    "29-",
    "31-",
    "19-1",
    "19-2031",
    "19-3033",
    "19-3039",
    "19-4021",
    "19-4031",
    "19-4099",
    "21-1",
    "11-9111",
    "11-9121",
    "43-6013",
)

# Titles that O*NET lists under several SOC codes, or under a code whose SOC 2018 definition
# does not fit the job as employers post it, settled from the definitions. Keys are normalized.
HOUSE_TITLES: dict[str, tuple[str, str]] = {
    "patient care technician": (
        "31-1131",
        "hospital PCTs give basic care under RN direction; O*NET lists the title under "
        "Orderlies, lab technicians and 'all other' technicians",
    ),
    "patient care assistant": ("31-1131", "hospital PCAs give basic care under RN direction"),
    "medication aide": ("31-1131", "Nursing Assistants 'may include medication administration'"),
    "caregiver": ("31-1122", "non-medical home care is personal care"),
    "direct support professional": ("31-1122", "personal care and daily-living support"),
    "medical support assistant": (
        "43-6013",
        "VA 0679 series: scheduling, check-in and records, not clinical duties",
    ),
    "patient service representative": ("43-6013", "front-desk scheduling and registration"),
    "patient access representative": ("43-6013", "hospital registration and scheduling"),
    "medical billing specialist": ("43-3021", "billing work, not records or secretarial work"),
    "practice manager": ("11-9111", "runs a medical practice (O*NET lists office supervisors)"),
    "dietary aide": ("35-2021", "tray line and kitchen work, not dietetic technician work"),
    "dialysis technician": ("29-2099", "SOC 2018 places dialysis technicians in 29-2099"),
    "research associate": (
        "19-4021",
        "a life-science research associate is a biological technician",
    ),
    "biomanufacturing technician": ("19-4021", "O*NET lists biomanufacturing technicians there"),
    "quality assurance specialist": ("19-4099", "GMP quality specialist (O*NET 19-4099.01)"),
    "quality assurance associate": ("19-4099", "GMP quality associate (O*NET 19-4099.01)"),
    "gastroenterologist": ("29-1229", "subspecialist; 29-1216 is general internal medicine"),
    "rheumatologist": ("29-1229", "subspecialist; 29-1216 is general internal medicine"),
    "oncologist": ("29-1229", "subspecialist; 29-1216 is general internal medicine"),
    "hematologist": ("29-1229", "subspecialist; 29-1216 is general internal medicine"),
    "pulmonologist": ("29-1229", "subspecialist; 29-1216 is general internal medicine"),
    "nephrologist": ("29-1229", "subspecialist; 29-1216 is general internal medicine"),
    "endocrinologist": ("29-1229", "subspecialist; 29-1216 is general internal medicine"),
    "infectious disease physician": (
        "29-1229",
        "subspecialist; 29-1216 is general internal medicine",
    ),
    "otolaryngologist": ("29-1229", "not separately identified in SOC 2018"),
    "general surgeon": ("29-1249", "O*NET lists it under orthopedic and pediatric surgeons"),
}

# First-line supervisor codes by major group, for "Supervisory X" where X is not a professional
# (SOC coding rule: supervisors of professional workers are coded with the workers).
_SUPERVISOR_SOC = {
    "35": "35-1012",
    "37": "37-1011",
    "43": "43-1011",
    "47": "47-1011",
    "49": "49-1011",
    "51": "51-1011",
}

# --- Normalization tables ---------------------------------------------------------------------


def _phrases(text: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(p.split()) for p in text.strip().split(",") if p.strip())


_STATES = frozenset(
    "al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj "
    "nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc".split()
)

# Words that never name the job: levels, seniority, schedules, pay, employment terms,
# credentials that only qualify a job, filler.
_NOISE_WORDS = frozenset(
    """
    i ii iii iv v vi level lvl sr senior jr junior staff entry trainee
    certified cert board state tested national regular
    prn perdiem temp temporary contract contractor travel traveler traveling float floater
    agency casual seasonal permanent remote hybrid day days night nights evening evenings
    weekend weekends weekday weekdays overnight overnights noc nocs shift shifts swing rotating
    bonus bonuses incentive incentives amended hr hrs hour hours week weeks weekly req
    requisition fte north south east west generalist telehealth telemedicine virtual
    bsn msn asn adn dnp phd ms bs ba mba mph ascp arrt rhit rhia ccs cpc coc
    crcst cbspd chl acls bls pals nrp tncc cen ccrn rnc cnor rd rdn ld ldn
    rdms rvt rdcs rcis rpsgt ccht coa cot comt otr ccc htl ht csfa ctrs
    licsw lcsw lmsw msw lmhc lpc lpcc ladc alat latg lat dpm gmp cgmp glp
    required preferred needed wanted opportunity opportunities hiring immediate immediately
    urgent urgently now apply medsurg
    """.split()
)
_NOISE_PHRASES = _phrases(
    """
    sign on, signing, job id, req id, requisition id, relocation assistance, relocation available,
    per diem, part time, full time, float pool, resource pool, weekly pay,
    daily pay, flexible hours, flexible schedule, per visit, fee for service, on site, on call,
    call required, new grad, new graduate, residency program, step down, early am,
    early morning, mon fri, monday friday, m f, up to, medical surgical, weekend option,
    double shifts, temp to perm, local contract, incentive authorized, live in, in home,
    walk in, home based
    """
)
_DAY_JOBS = frozenset({"care", "surgery", "treatment", "program", "habilitation"})
_NOISE_BY_FIRST: dict[str, list[tuple[str, ...]]] = defaultdict(list)
for _phrase in sorted(_NOISE_PHRASES, key=len, reverse=True):
    _NOISE_BY_FIRST[_phrase[0]].append(_phrase)

# Words that say where the job is done, never what it is.
_PLACE_WORDS = frozenset(
    """
    icu micu sicu nicu picu cvicu ccu cvor pacu pcu tele telemetry ed er emergency urgent
    department dept room unit units floor wing ward trauma center centre
    outpatient inpatient ambulatory acute clinic clinics hospital campus health system
    long term ltc snf skilled facility assisted living memory community home homes
    main core site location locations county metro downtown region regional
    office store retail group multi plant veterans va pact cboc gec domiciliary residential
    aligned team
    """.split()
)

# Next to a job, a laboratory is where it is done ("Research Technician - Neuroscience Lab").
_CONTEXT_PLACES = _PLACE_WORDS | {"laboratory"}

# Heads that say too little on their own ("Health Technician (Ophthalmology)").
_GENERIC_HEADS = frozenset(
    {
        "technician",
        "technologist",
        "health technician",
        "medical technician",
        "medical instrument technician",
        "medical instrument technologist",
        "medical supply technician",
        "specialist",
        "associate",
        "analyst",
        "scientist",
        "assistant",
        "aide",
        "worker",
        "coordinator",
    }
)
# Words that make a qualifier a kind of technician rather than a place ("(Ophthalmology)",
# "(EKG)", "- Phlebotomy" but not "- Ann Arbor").
_SPECIALTY_WORDS = frozenset(
    """
    ekg ecg eeg emg gi ct mri ultrasound echo cath catheterization dialysis anesthesia sterile
    processing supply medication pharmacy laboratory surgical orthopedic cast vascular cardiac
    respiratory pulmonary sleep dental eye vision hearing ray xray nuclear pet special
    procedures computed tomography magnetic resonance imaging clinical medical assistant
    """.split()
)
_SPECIALTY_ENDINGS = (
    "ology",
    "ography",
    "graphy",
    "metry",
    "iatry",
    "etic",
    "ysis",
    "tomy",
    "esia",
)

# Heads a field of study completes ("Scientist - Cell Biology" is a cell biologist).
_FIELD_HEADS = frozenset({"scientist", "research scientist", "psychologist"})
_TECHNICIAN_HEADS = frozenset(
    {
        "technician",
        "technologist",
        "health technician",
        "medical technician",
        "medical instrument technician",
        "medical instrument technologist",
        "medical supply technician",
    }
)
# Heads O*NET lists under several occupations, where a qualifier often tells which.
_CONTEXT_HEADS = frozenset(
    {
        "social worker",
        "clinical social worker",
        "psychologist",
        "laboratory technician",
        "laboratory assistant",
        "research assistant",
        "research technician",
        "patient care technician",
        "quality control associate",
        "quality control analyst",
        "quality control technician",
    }
)

# Short forms, spelled out: matched on whole words, longest first, in two passes so that a
# spelled-out word can complete a phrase ("surg tech" -> "surgical technician" -> ...).
_ABBREVIATIONS_TEXT = """
cna=nursing assistant; stna=nursing assistant; lna=nursing assistant; cena=nursing assistant
nurse aide=nursing assistant; nurses aide=nursing assistant; nurse's aide=nursing assistant
nursing aide=nursing assistant; nursing asst=nursing assistant; nurse asst=nursing assistant
nursing attendant=nursing assistant; med aide=medication aide; medication technician=medication aide
pct=patient care technician; pca=patient care assistant; patient care tech=patient care technician
patient care associate=patient care assistant; hha=home health aide; dsp=direct support professional
ma=medical assistant; cma=medical assistant; rma=medical assistant; ccma=medical assistant
ncma=medical assistant; medical asst=medical assistant
huc=unit clerk; unit secretary=unit clerk; health unit coordinator=unit clerk
health unit clerk=unit clerk; hospital unit clerk=unit clerk; ward clerk=unit clerk
unit coordinator=unit clerk; patient scheduler=medical scheduler; medical record=medical records
patient service rep=patient service representative
patient services representative=patient service representative
patient access rep=patient access representative
rn=registered nurse; lpn=licensed practical nurse; lvn=licensed vocational nurse
np=nurse practitioner; aprn=nurse practitioner; arnp=nurse practitioner; fnp=nurse practitioner
fnp c=nurse practitioner; fnp bc=nurse practitioner; pmhnp=nurse practitioner
agnp=nurse practitioner; acnp=nurse practitioner; advanced practice nurse=nurse practitioner
advanced practice registered nurse=nurse practitioner; crna=nurse anesthetist
registered nurse anesthetist=nurse anesthetist; cnm=nurse midwife
certified nurse midwife=nurse midwife; cns=clinical nurse specialist
phleb=phlebotomist; phlebotomy technician=phlebotomist; phlebotomy technologist=phlebotomist
mlt=clinical laboratory technician; medical laboratory technician=clinical laboratory technician
mls=clinical laboratory technologist; cls=clinical laboratory technologist
medical laboratory scientist=clinical laboratory technologist
clinical laboratory scientist=clinical laboratory technologist
medical laboratory technologist=clinical laboratory technologist
medical technologist=clinical laboratory technologist
histotech=histotechnician; histopathology technician=histology technician
histopathology technologist=histotechnologist
cpht=pharmacy technician; pharm tech=pharmacy technician; pharmacy tech=pharmacy technician
pharmd=pharmacist; rph=pharmacist; clinical pharmacy specialist=clinical pharmacist
rad tech=radiologic technologist; radiology technologist=radiologic technologist
radiology technician=radiologic technologist; radiologic technician=radiologic technologist
diagnostic radiologic technologist=radiologic technologist
x ray technician=radiologic technologist; x ray technologist=radiologic technologist
xray technician=radiologic technologist; ct=computed tomography; cat scan=computed tomography
mri=magnetic resonance imaging; echo technician=cardiac sonographer
echo technologist=cardiac sonographer; echocardiographer=cardiac sonographer
echocardiography technician=cardiac sonographer; echocardiography technologist=cardiac sonographer
cardiac cath=cardiac catheterization; cath lab=cardiac catheterization
nuclear med=nuclear medicine; nuc med=nuclear medicine; ecg=ekg
sleep technician=polysomnographic technologist; sleep technologist=polysomnographic technologist
polysomnography technician=polysomnographic technologist
polysomnographic technician=polysomnographic technologist
eeg technician=neurodiagnostic technologist; eeg technologist=neurodiagnostic technologist
cst=surgical technologist; surg tech=surgical technologist; surgical technician=surgical technologist
scrub technician=surgical technologist; or technician=surgical technologist
operating room technician=surgical technologist
gi technician=endoscopy technician; gi laboratory technician=endoscopy technician
rrt=respiratory therapist; crt=respiratory therapist; rt=respiratory therapist
respiratory care practitioner=respiratory therapist
pta=physical therapist assistant; physical therapy assistant=physical therapist assistant
physical therapy aide=physical therapist aide; cota=occupational therapy assistant
ota=occupational therapy assistant; otr=occupational therapist; slp=speech language pathologist
pa=physician assistant; pa c=physician assistant
emt=emergency medical technician; emt b=emergency medical technician
emt basic=emergency medical technician; aemt=emergency medical technician; emt p=paramedic
hemodialysis=dialysis; rdh=dental hygienist; registered dental hygienist=dental hygienist
efda=expanded function dental assistant; dtr=dietetic technician; registered dietitian=dietitian
behavioral health technician=psychiatric technician; mental health technician=psychiatric technician
bht=psychiatric technician; mht=psychiatric technician; chw=community health worker
cadc=substance abuse counselor; lmft=marriage and family therapist
licensed marriage and family therapist=marriage and family therapist
evs=environmental services; environmental service=environmental services
lab animal technician=laboratory animal caretaker
laboratory animal technician=laboratory animal caretaker
vivarium technician=laboratory animal caretaker
cell culture technician=biological technician; tissue culture technician=biological technician
housekeeping aide=housekeeper; housekeeping attendant=housekeeper
patient access specialist=patient access representative
patient access associate=patient access representative
patient access coordinator=patient access representative
licensed clinical social worker=clinical social worker; lcsw=clinical social worker
qc=quality control; qa=quality assurance; mfg=manufacturing
tech=technician; techs=technician; asst=assistant; assoc=associate; spec=specialist
coord=coordinator; rep=representative; mgr=manager; dir=director; admin=administrative
med=medical; lab=laboratory; diag=diagnostic; rad=radiologic; psych=psychiatric
resp=respiratory; pharm=pharmacy; surg=surgical; micro=microbiology; env=environmental
hlth=health; svc=services; svcs=services; adv=advanced; supv=supervisory; nurs=nursing
"""
_ABBREVIATIONS: dict[tuple[str, ...], tuple[str, ...]] = {
    tuple(short.split()): tuple(long.split())
    for pair in _ABBREVIATIONS_TEXT.replace("\n", ";").split(";")
    if "=" in pair
    for short, long in [pair.split("=")]
}
_ABBREV_BY_FIRST: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = defaultdict(list)
for _short, _long in sorted(_ABBREVIATIONS.items(), key=lambda kv: -len(kv[0])):
    _ABBREV_BY_FIRST[_short[0]].append((_short, _long))

# Credentials and abbreviations that name a job only when nothing else in the title does
# ("CMA" alone is a medical assistant; in "Certified Medication Aide (CMA)" it is not).
_CREDENTIALS = frozenset(
    "cna stna lna cena ma cma rma ccma ncma rn lpn lvn np aprn arnp fnp pmhnp agnp acnp crna cnm "
    "cns pct pca mlt mls cls mt cpht pharmd rph cst rrt crt rt huc pta cota ota otr slp pa emt "
    "aemt rdh efda dsp hha chw cadc lmft dtr pt ot md do c bc b p".split()
)
_ALONE = {
    ("pt",): ("physical", "therapist"),
    ("ot",): ("occupational", "therapist"),
    ("md",): ("physician",),
    ("do",): ("physician",),
    ("md", "do"): ("physician",),
    ("mt",): ("clinical", "laboratory", "technologist"),
}

# Physician specialties, to the specialist title O*NET uses.
_SPECIALTIES: list[tuple[str, str]] = [
    (r"psychiatr\w*", "psychiatrist"),
    (r"anesthesi\w*", "anesthesiologist"),
    (r"(non\s*invasive\s*|interventional\s*)?cardiolog\w*", "cardiologist"),
    (r"dermatolog\w*", "dermatologist"),
    (r"emergency(\s*(medicine|room))?", "emergency medicine physician"),
    (r"family\s*(medicine|practice|physician)", "family medicine physician"),
    (r"internal\s*medicine|internist", "general internal medicine physician"),
    (r"neurolog\w*", "neurologist"),
    (r"ob\s*gyn|obgyn|obstetric\w*|gynecolog\w*", "obstetrician and gynecologist"),
    (r"pediatric\w*|peds", "pediatrician"),
    (r"patholog\w*", "pathologist"),
    (r"(tele\s*)?radiolog\w*", "radiologist"),
    (r"ophthalmolog\w*", "ophthalmologist"),
    (r"orthop(a)?edic\w*(\s*surg\w*)?|ortho", "orthopedic surgeon"),
    (r"general\s*surg\w*", "general surgeon"),
    (r"urolog\w*", "urologist"),
    (r"hospitalist|nocturnist", "hospitalist"),
    (
        r"physical\s*medicine(\s*(and|&)\s*rehabilitation)?|physiatr\w*|pm\s*r",
        "physical medicine and rehabilitation physician",
    ),
    (r"gastroenterolog\w*|gi", "gastroenterologist"),
    (r"rheumatolog\w*", "rheumatologist"),
    (r"oncolog\w*", "oncologist"),
    (r"hematolog\w*", "hematologist"),
    (r"pulmon\w*", "pulmonologist"),
    (r"nephrolog\w*", "nephrologist"),
    (r"endocrinolog\w*", "endocrinologist"),
    (r"infectious\s*diseases?", "infectious disease physician"),
    (r"otolaryngolog\w*|ent", "otolaryngologist"),
    (r"sports\s*medicine", "sports medicine physician"),
    (r"allerg\w*|immunolog\w*", "allergist and immunologist"),
    (r"primary\s*care", "primary care physician"),
    (r"surg(ery|eon)", "surgeon"),
]
_SPECIALTY_RES = [(re.compile(r"\b(?:" + p + r")\b"), t) for p, t in _SPECIALTIES]
_PHYSICIAN_HEADS = frozenset({"physician", "doctor", "attending physician", "physician md"})

# Radiologic technologists (and generic technicians) named by modality.
_MODALITY_RES = [
    (re.compile(r"\bmagnetic resonance imaging\b"), "magnetic resonance imaging technologist"),
    (re.compile(r"\bnuclear medicine\b"), "nuclear medicine technologist"),
    (re.compile(r"\b(ultrasound|sonograph\w*)\b"), "diagnostic medical sonographer"),
    (re.compile(r"\bdosimetr\w*\b"), "medical dosimetrist"),
    (re.compile(r"\bradiation therap\w*\b"), "radiation therapist"),
]

# Sterile processing under any of its names, unless the job manages or teaches it.
_SPD_WORDS = frozenset({"spd", "cspd", "cpd", "sterile", "central", "cs"})
_SPD_RE = re.compile(
    r"\b(?:spd|cspd|cpd|central sterile|sterile processing|sterile processor|sterile prep\w*|"
    r"central services?|central processing|cs technician)\b"
)
_MANAGER_WORDS = frozenset(
    {"manager", "supervisor", "director", "educator", "instructor", "coordinator"}
)

# Biotech production roles (cell and gene therapy, biologics, up- and downstream processing).
_BIOMFG_HEADS = frozenset(
    f"{a} {b}"
    for a in ("manufacturing", "production", "process", "biomanufacturing")
    for b in ("associate", "technician", "operator", "specialist")
)
_BIOMFG_CONTEXT_RE = re.compile(
    r"\b(?:cell therapy|gene therapy|cell culture|upstream|downstream|purification|bioreactor|"
    r"biologics|bioprocess\w*|fermentation|viral vector)\b"
)
_INSTITUTION_RE = re.compile(
    r"\b(?:hospital|nursing home|school|cafeteria|institution\w*|healthcare|senior living)\b"
)
_ANIMAL_HEADS = frozenset(
    {"animal care technician", "animal technician", "animal caretaker", "animal care specialist"}
)
_LAB_ANIMAL_RE = re.compile(r"\b(?:vivarium|laboratory|research|biomedical)\b")
# Roles a registered nurse holds without changing occupation (SOC: supervisors of professional
# workers are coded with the workers they supervise).
_NURSE_ROLES = frozenset(
    {"navigator", "coordinator", "liaison", "reviewer", "auditor", "consultant", "clinician",
     "supervisor"}
)  # fmt: skip
_NURSE_ROLE_PHRASES = frozenset({"case manager", "care manager"})
_EVS_ROLES = frozenset({"aide", "associate", "worker", "attendant", "specialist", "technician"})


def _nurse_role(rest: str) -> bool:
    return rest.split()[-1] in _NURSE_ROLES or rest in _NURSE_ROLE_PHRASES


_JOB_NOUNS = frozenset(
    """
    nurse assistant aide technician technologist therapist pharmacist physician doctor surgeon
    scientist analyst associate specialist coordinator manager director supervisor representative
    clerk secretary worker engineer officer counselor educator instructor dentist hygienist
    optometrist audiologist pathologist sonographer paramedic cook housekeeper transporter
    caregiver coder biller scheduler receptionist chemist microbiologist biologist biochemist
    epidemiologist practitioner midwife anesthetist attendant orderly sitter companion
    professional navigator administrator consultant operator inspector processor assembler
    janitor custodian guard interpreter chaplain dietitian nutritionist psychologist
    psychiatrist physicist dosimetrist acupuncturist chiropractor podiatrist optician
    phlebotomist hospitalist radiologist trainer planner tester handler porter
    transcriptionist scribe registrar physiologist pedorthist prosthetist orthotist caretaker
    """.split()
)
_JOB_SUFFIXES = ("ist", "ician", "grapher")

# An unspaced hyphen right after a job noun separates the job from its unit
# ("Nursing Assistant-Perioperative"); elsewhere it joins words ("X-Ray", "Non-Invasive").
# A slash right after a job or credential separates two jobs ("PCT/Monitor Tech").
_HYPHEN_RE = re.compile(r"\b([a-z]+)-(?=\s*[a-z])")
_SLASH_RE = re.compile(r"\b([a-z]+)\s*/(?=\s*[a-z])")
_SLASH_WORDS = _JOB_NOUNS | (_CREDENTIALS - {"c", "b", "p", "bc"})


def _split_after_job(match: re.Match[str]) -> str:
    word = match.group(1)
    return f"{word} - " if word in _JOB_NOUNS or word.endswith(("ist", "ician")) else match.group(0)


def _split_after_job_or_credential(match: re.Match[str]) -> str:
    word = match.group(1)
    return (
        f"{word} - " if word in _SLASH_WORDS or word.endswith(("ist", "ician")) else match.group(0)
    )


_SEPARATOR_RE = re.compile(
    r"\s+[-\u2013\u2014~]+\s*|\s*[-\u2013\u2014~]+\s+|[()\[\]{}|;:,\u2022]|\s/\s|\s+@\s+|\s+at\s+"
)
_CITY_STATE_RE = re.compile(
    r"(?:^|(?<=[-\u2013\u2014(|,]))\s*[a-z .']{2,30},\s*(?:"
    + "|".join(sorted(_STATES))
    + r")\b\.?\s*(?=$|[-\u2013\u2014)|,(])"
)
_WORD_RE = re.compile(r"[a-z0-9&']+")
_NUMBERISH_RE = re.compile(r"^(?:\d.*|[a-z]{1,3}\d{3,}[a-z0-9]*)$")
# "Director of Nursing" is a nursing director.
_OF_RE = re.compile(
    r"^((?:assistant |associate |deputy )?(?:director|manager|supervisor|chief|head|coordinator))"
    r" of (?:the )?(.+)$"
)
# "Associate Scientist", "Associate Director": a rank, not the job.
_RANKED_AFTER_ASSOCIATE = frozenset({"scientist", "director", "chemist", "biologist", "engineer"})
_STOP_WORDS = frozenset({"and", "of", "the", "for", "in", "to", "a", "an", "with", "&", "or"})
_PLURAL_ENDINGS = (
    "ists ians ers ors ants ents aides nurses icians ives ees ics aths eons wives aries ories "
    "ates ists"
).split()
_NOT_PLURAL = frozenset({"services", "sales", "series", "physics", "diagnostics", "aids", "aides"})


def normalize_title(title: str) -> str:
    """Return the job a posted title names: lower case, spelled out, no levels, shifts or places."""
    if not isinstance(title, str):
        return ""
    return _normalize(title)


@lru_cache(maxsize=200_000)
def _normalize(title: str) -> str:
    return _assemble(_segments(title))


def _segments(title: str) -> tuple[tuple[str, ...], ...]:
    """The title's separator-delimited parts, as words without noise."""
    text = title.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    if "&" in text:
        text = text.replace("l&d", " labor delivery ").replace("pm&r", " pm r ")
    if "/" in text:
        text = text.replace("ob/gyn", " obgyn ").replace("med/surg", " medsurg ")
        text = _SLASH_RE.sub(_split_after_job_or_credential, text)
    if "," in text:
        text = _CITY_STATE_RE.sub(" - ", text)
    if "-" in text:
        text = _HYPHEN_RE.sub(_split_after_job, text)
    # Decorated variants of one title share their parts ("Nights", "Float Pool"): the parts
    # and what is made of them are cached, so only the first variant costs anything.
    parts = (_words(raw.strip()) for raw in _SEPARATOR_RE.split(text) if raw and not raw.isspace())
    return tuple(part for part in parts if part)


@lru_cache(maxsize=100_000)
def _assemble(segments: tuple[tuple[str, ...], ...]) -> str:
    if not segments:
        return ""
    head, qualifiers, credentials = _split_head(segments)
    combined = _OF_RE.sub(r"\2 \1", _combine(head, qualifiers, credentials))
    return " ".join(_dedupe(_singular(w) for w in combined.split()))


def _split_head(
    segments: tuple[tuple[str, ...], ...],
) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """The segment that names the job, the segments around it, and bracketed credentials."""
    head = _head_segment(segments)
    qualifiers: list[list[str]] = []
    credentials: list[list[str]] = []
    for i, seg in enumerate(segments):
        if i == head:
            continue
        # Usually the head's own abbreviation or credential ("(CNA)"): it matters only when
        # the head is too generic to name the job ("Lab Tech (MLT)").
        if all(w in _CREDENTIALS or w in _PLACE_WORDS for w in seg):
            if any(w in _CREDENTIALS for w in seg):
                credentials.append(list(seg))
        else:
            qualifiers.append(list(seg))
    return list(segments[head]), qualifiers, credentials


@lru_cache(maxsize=100_000)
def _words(raw: str) -> tuple[str, ...]:
    words = _WORD_RE.findall(raw.replace(".", ""))
    out: list[str] = []
    i = 0
    n = len(words)
    while i < n:
        word = words[i]
        for phrase in _NOISE_BY_FIRST.get(word, ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            if word == "day" and i + 1 < n and words[i + 1] in _DAY_JOBS:
                out.append(word)  # "Day Care Teacher", "Day Surgery Nurse": not a shift
            elif word not in _NOISE_WORDS and (word.isalpha() or not _NUMBERISH_RE.match(word)):
                out.append(_singular(word))
            i += 1
    return tuple(out)


def _expand(words: list[str] | tuple[str, ...]) -> list[str]:
    return list(_expand_cached(tuple(words)))


@lru_cache(maxsize=100_000)
def _expand_cached(words: tuple[str, ...]) -> tuple[str, ...]:
    # Two passes, so that a spelled-out word can complete a phrase ("or tech" -> "or
    # technician" -> "surgical technologist"); words a phrase was spelled out into are not
    # spelled out again ("medical and clinical laboratory technologist" stays as it is).
    frozen = [False] * len(words)
    for _ in range(2):
        out: list[str] = []
        out_frozen: list[bool] = []
        i = 0
        while i < len(words):
            for short, long in _ABBREV_BY_FIRST.get(words[i], ()):
                end = i + len(short)
                if words[i:end] == short and not all(frozen[i:end]):
                    out.extend(long)
                    out_frozen.extend([len(short) > 1 or len(long) > 1] * len(long))
                    i = end
                    break
            else:
                out.append(words[i])
                out_frozen.append(frozen[i])
                i += 1
        words, frozen = tuple(out), out_frozen
    return words


def _is_job_word(word: str) -> bool:
    return word in _JOB_NOUNS or word.endswith(_JOB_SUFFIXES)


def _names_job(words: Iterable[str]) -> bool:
    return any(_is_job_word(w) for w in _expand(tuple(words)))


def _head_segment(segments: tuple[tuple[str, ...], ...]) -> int:
    """The index of the segment that names the job (see the comments for the order)."""
    credential = None
    for i, seg in enumerate(segments):
        if all(w in _CREDENTIALS or w in _PLACE_WORDS or w in _STATES for w in seg):
            if credential is None and any(w in _CREDENTIALS for w in seg):
                credential = i
            continue
        if _names_job(seg):
            # A leading credential is the job ("PCT/Monitor Tech"), unless a manager's title
            # follows it ("RN - Nurse Manager").
            if credential == 0 and not set(seg) & _MANAGER_WORDS:
                return 0
            return i
    if credential is not None:
        return credential
    for i, seg in enumerate(segments):
        if not all(w in _PLACE_WORDS or w in _STATES for w in seg):
            return i
    return 0


def _drop_levels(words: list[str]) -> list[str]:
    if len(words) > 1 and words[0] == "lead" and words[1] not in {"abatement", "paint"}:
        words = words[1:]
    elif len(words) > 1 and words[0] == "associate" and words[1] in _RANKED_AFTER_ASSOCIATE:
        words = words[1:]
    elif len(words) > 2 and words[:2] == ["team", "lead"]:
        words = words[2:]
    return [
        w
        for i, w in enumerate(words)
        if w != "advanced"
        or (
            i + 1 < len(words)
            and words[i + 1] in {"practice", "practitioner", "registered", "life"}
        )
    ]


def _combine(
    head_words: list[str], qualifier_words: list[list[str]], credentials: list[list[str]]
) -> str:
    """Spell out the head, and complete it from a qualifier when the head alone says too little."""
    head_words = list(_ALONE.get(tuple(head_words), head_words))
    head = " ".join(_drop_levels(_expand(head_words)))
    if credentials and (head in _GENERIC_HEADS or head in _CONTEXT_HEADS):
        named = " ".join(_expand(credentials[0]))
        if _names_job(named.split()):
            head = named
    qualifiers = [" ".join(_drop_levels(_expand(q))) for q in qualifier_words]
    if not qualifiers and head in HOUSE_TITLES:
        return head
    everything = " ".join([head, *qualifiers])
    words = set(everything.split())

    if words & _SPD_WORDS and _SPD_RE.search(everything) and not set(head.split()) & _MANAGER_WORDS:
        return "sterile processing technician"
    if head in _BIOMFG_HEADS and (
        head.startswith("biomanufacturing") or _BIOMFG_CONTEXT_RE.search(everything)
    ):
        return "biomanufacturing technician"
    if head in _PHYSICIAN_HEADS or (
        "physician" in head.split() and "assistant" not in head.split()
    ):
        for text in [head, *qualifiers]:
            for pattern, specialist in _SPECIALTY_RES:
                if pattern.search(text):
                    return specialist
        return head
    if head == "cook" and _INSTITUTION_RE.search(everything):
        return "institutional cook"
    if head in _ANIMAL_HEADS and _LAB_ANIMAL_RE.search(everything):
        return "laboratory animal caretaker"
    if head.endswith(("technician", "technologist")):
        generic = "radiologic technologist" in head or head in _TECHNICIAN_HEADS
        for text in [head, *qualifiers] if generic else [head]:
            for pattern, modality in _MODALITY_RES:
                if pattern.search(text):
                    return modality
    if "registered nurse" in head:
        rest = " ".join(head.replace("registered nurse", " ").split())
        if "nurse" in rest.split():
            return rest
        if not rest or not _names_job(rest.split()) or _nurse_role(rest):
            return "registered nurse"
        return f"nurse {rest}"
    if head.startswith("nurse ") and _nurse_role(head[6:]):
        return "registered nurse"
    if head.startswith("environmental services ") and head.split()[-1] in _EVS_ROLES:
        return "environmental services technician"

    if head in _FIELD_HEADS:
        for q in qualifiers:
            practitioner = _practitioner(q)
            if practitioner:
                return practitioner
    if head in _GENERIC_HEADS or head in _CONTEXT_HEADS:
        last = head.split()[-1]
        for q in qualifiers:
            q = _strip_places(q)
            if not q or q.startswith(("except", "all other")):
                continue
            q_last = q.split()[-1]
            if _names_job(q.split()):
                # A job in brackets replaces a generic head ("Health Technician (Medical
                # Assistant)") or narrows it ("Psychologist - Neuropsychologist"); another
                # job next to a specific head is a second role and says nothing more.
                if head in _GENERIC_HEADS or (q_last != last and q_last.endswith(last)):
                    return " ".join(_expand(q.split()))
                # Otherwise only the words around its job noun may tell the head apart.
                q = " ".join(w for w in q.split() if not _is_job_word(w))
                if not q or head in _GENERIC_HEADS:
                    continue
            if head in _TECHNICIAN_HEADS:
                if not _names_specialty(q):
                    continue  # "Medical Technician - Ann Arbor": a place, not a kind
                return " ".join(_expand(f"{q} {last}".split()))
            return " ".join(_expand(f"{q} {head}".split()))
    return head


def _names_specialty(text: str) -> bool:
    """True when a qualifier reads like a clinical specialty or modality, not a place."""
    return any(w in _SPECIALTY_WORDS or w.endswith(_SPECIALTY_ENDINGS) for w in text.split())


def _practitioner(field: str) -> str | None:
    """ "analytical chemistry" -> "analytical chemist", "neuropsychology" -> "neuropsychologist"."""
    words = field.split()
    for i, word in enumerate(words):
        for ending, person in (("ology", "ologist"), ("istry", "ist"), ("iatry", "iatrist")):
            if word.endswith(ending) and len(word) > len(ending) + 2:
                return " ".join([*words[:i], word[: -len(ending)] + person])
    return None


def _strip_places(text: str) -> str:
    return " ".join(w for w in text.split() if w not in _CONTEXT_PLACES and w not in _STOP_WORDS)


@lru_cache(maxsize=50_000)
def _singular(word: str) -> str:
    if not word.endswith("s") or word in _NOT_PLURAL or len(word) < 4:
        return word
    if word.endswith("ies") and word[:-3] in {"secretar", "orderl", "deput", "communit", "therap"}:
        return word[:-3] + "y"
    if word.endswith(tuple(_PLURAL_ENDINGS)):
        return word[:-1]
    return word


def _dedupe(words: Iterable[str]) -> list[str]:
    out: list[str] = []
    for w in words:
        if not out or out[-1] != w:
            out.append(w)
    return out


# --- The dictionary ---------------------------------------------------------------------------


@dataclass
class TitleIndex:
    """Normalized O*NET titles, the SOC each settles to, and what fuzzy matching needs."""

    keys: list[str]
    key_soc: list[str]
    key_onet: list[str]
    key_confidence: list[float]
    lookup: dict[str, int]
    candidates: dict[int, tuple[str, ...]]  # keys O*NET lists under several SOCs: all of them
    soc_titles: dict[str, str]
    soc_onet: dict[str, str]
    word_socs: dict[str, dict[str, float]]  # word -> SOC -> share of the titles with the word
    postings: dict[str, list[int]]
    idf: dict[str, float]
    key_weight: list[float]
    vocabulary: list[str]
    prefixes: dict[str, list[str]]  # first _PREFIX letters -> words
    vocabulary_by_start: dict[str, list[str]]  # first four letters -> words
    vocabulary_by_initial: dict[str, list[str]]  # first letter -> words
    vocabulary_by_second: dict[str, list[str]]  # second letter -> words


_BRACKETED_RE = re.compile(r"\s*\([^)]*\)")
_BRACKET_INNER_RE = re.compile(r"\(([^)]*)\)")


def _forms(title: str, short_title: str | None) -> list[str]:
    """The forms an O*NET title is known by: the title, what it has in brackets, its short form."""
    forms = [title]
    if "(" in title:
        forms = [_BRACKETED_RE.sub("", title), *_BRACKET_INNER_RE.findall(title)]
    if short_title and short_title.lower() != "n/a":
        forms.append(short_title)
    return forms


def _occupation_forms(title: str) -> list[str]:
    """Official titles often name two jobs ("Radiologic Technologists and Technicians")."""
    main = title.split(",")[0].strip()
    if main.count(" and ") != 1:
        return []
    left, right = main.split(" and ")
    lw, rw = left.split(), right.split()
    if len(lw) == 1 and len(rw) == 1:  # "Dietitians and Nutritionists"
        return [left, right]
    if len(lw) == 1 and not lw[0].endswith("s"):  # "Medical and Clinical Laboratory Technologists"
        return [" ".join([lw[0], *rw[1:]]), right]
    if len(rw) == 1:  # "Cardiovascular Technologists and Technicians"
        return [left, " ".join([*lw[:-1], *rw])]
    if not lw[-1].endswith("s"):  # "Licensed Practical and Licensed Vocational Nurses"
        return [f"{left} {rw[-1]}", right]
    return [left, right]


def _reads_as(form: str, key: str) -> bool:
    """True when a title is its key but for case, punctuation and plural."""
    lower = form.lower()
    if lower == key:
        return True
    return " ".join(_singular(w) for w in _WORD_RE.findall(lower.replace("-", " "))) == key


def _entries(onet_titles: pl.DataFrame, residual: set[str]) -> pl.DataFrame:
    """Alternate and reported titles, one row per (title, key) from each of its forms."""
    others = onet_titles.filter(pl.col("kind") != "occupation").with_row_index("row")
    forms = (
        others.select(
            "row",
            "onet_code",
            "kind",
            form=pl.concat_list(
                pl.col("title").str.replace_all(r"\s*\([^)]*\)", ""),
                pl.col("title")
                .str.extract_all(r"\([^)]*\)")
                .list.eval(pl.element().str.strip_chars("()")),
                pl.col("short_title"),
            ),
        )
        .explode("form")
        .filter(pl.col("form").is_not_null() & (pl.col("form").str.to_lowercase() != "n/a"))
    )
    distinct = forms["form"].unique().to_list()
    keys = [normalize_title(f) for f in distinct]
    normalized = pl.DataFrame(
        {
            "form": distinct,
            "key": keys,
            "reads": [_reads_as(f, k) for f, k in zip(distinct, keys, strict=True)],
        },
        schema={"form": pl.String, "key": pl.String, "reads": pl.Boolean},
    )
    weights = pl.DataFrame(
        {"kind": list(KIND_WEIGHT), "weight": list(KIND_WEIGHT.values())},
        schema={"kind": pl.String, "weight": pl.Int8},
    )
    return (
        forms.join(normalized, on="form", maintain_order="left")
        .filter(pl.col("key") != "")
        .unique(["row", "key"], keep="first", maintain_order=True)
        .join(weights, on="kind", maintain_order="left")
        .select(
            "key",
            "onet_code",
            "weight",
            direct=pl.col("reads") & ~pl.col("onet_code").is_in(sorted(residual)),
            official=pl.lit(False),
        )
    )


def build_title_index(onet_titles: pl.DataFrame) -> TitleIndex:
    """Return the title dictionary built from O*NET titles (OnetTitleSchema) and the house rules."""
    occupations = onet_titles.filter(pl.col("kind") == "occupation")
    occupation_title = dict(
        zip(occupations["onet_code"].to_list(), occupations["title"].to_list(), strict=True)
    )
    residual = {c for c, t in occupation_title.items() if "all other" in t.lower()}
    soc_titles: dict[str, str] = {}
    soc_onet: dict[str, str] = {}
    for code in sorted(occupation_title):
        soc = code[:7]
        if soc not in soc_titles or code.endswith(".00"):
            soc_titles[soc] = occupation_title[code]
            soc_onet[soc] = code

    # One row per (dictionary key, O*NET entry): how much the entry says for its SOC. An entry
    # that reads like its key counts before one that normalization had to fold into it ("Staff
    # Psychologist" -> "psychologist") or an "All Other" title.
    occupation_rows: dict[str, list] = {
        "key": [], "onet_code": [], "weight": [], "direct": [], "official": []
    }  # fmt: skip
    for code, title in occupation_title.items():
        official = code not in residual
        main = normalize_title(title)
        derived = [normalize_title(f) for f in _occupation_forms(title)]
        for key in dict.fromkeys([main, *derived]):
            if key:
                occupation_rows["key"].append(key)
                occupation_rows["onet_code"].append(code)
                occupation_rows["weight"].append(KIND_WEIGHT["occupation"] if official else 2)
                occupation_rows["direct"].append(official)
                occupation_rows["official"].append(official and key == main)
    schema = {
        "key": pl.String,
        "onet_code": pl.String,
        "weight": pl.Int8,
        "direct": pl.Boolean,
        "official": pl.Boolean,
    }
    entries = pl.concat(
        [pl.DataFrame(occupation_rows, schema=schema), _entries(onet_titles, residual)]
    )
    entries = entries.with_columns(
        soc=pl.col("onet_code").str.slice(0, 7),
        specific=~pl.col("onet_code").is_in(sorted(residual)),
    )
    per_soc = (
        entries.sort("weight", "official", descending=True)
        .group_by("key", "soc", maintain_order=True)
        .agg(
            official=pl.col("official").any(),
            weight=pl.col("weight").max(),
            direct=pl.col("direct").sum(),
            folded=(~pl.col("direct")).sum(),
            specific=pl.col("specific").any(),
            onet_code=pl.col("onet_code").first(),
        )
        .sort("key", "soc")
    )

    keys = sorted(set(per_soc["key"].unique().to_list()) | set(HOUSE_TITLES))
    lookup = {k: i for i, k in enumerate(keys)}
    key_frame = pl.DataFrame(
        {"key": keys, "id": range(len(keys))}, schema={"key": pl.String, "id": pl.Int32}
    )
    words = (
        key_frame.with_columns(word=pl.col("key").str.split(" "))
        .explode("word")
        .filter(~pl.col("word").is_in(sorted(_STOP_WORDS)))
        .unique(["id", "word"])
    )
    grouped = words.group_by("word").agg(pl.col("id").sort())
    postings = dict(zip(grouped["word"].to_list(), grouped["id"].to_list(), strict=True))
    shares = (
        words.join(per_soc.select("key", "soc"), on="key")
        .group_by("word", "soc")
        .len()
        .with_columns(share=pl.col("len") / pl.col("len").sum().over("word"))
    )
    word_socs: dict[str, dict[str, float]] = defaultdict(dict)
    for word, soc, share in zip(
        shares["word"].to_list(), shares["soc"].to_list(), shares["share"].to_list(), strict=True
    ):
        word_socs[word][soc] = share

    by_key: dict[str, list[tuple]] = defaultdict(list)
    columns = [per_soc[c].to_list() for c in per_soc.columns]
    for key, *row in zip(*columns, strict=True):
        by_key[key].append(tuple(row))

    key_soc: list[str] = []
    key_onet: list[str] = []
    key_confidence: list[float] = []
    candidates: dict[int, tuple[str, ...]] = {}
    for i, key in enumerate(keys):
        rows = by_key.get(key, [])
        if len(rows) == 1 and key not in HOUSE_TITLES:
            soc, confidence, onet = rows[0][0], CONFIDENCE["unique"], rows[0][6]
        else:
            soc, confidence = _settle(key, rows, postings, keys, by_key)
            onet = next((r[6] for r in rows if r[0] == soc), soc_onet.get(soc, f"{soc}.00"))
        key_soc.append(soc)
        key_onet.append(onet)
        key_confidence.append(confidence)
        if len(rows) > 1:
            candidates[i] = tuple(r[0] for r in rows)

    n = len(keys)
    idf = {w: math.log((n + 1) / (len(ids) + 0.5)) for w, ids in postings.items()}
    key_weight = [sum(idf[w] for w in set(k.split()) - _STOP_WORDS) for k in keys]
    prefixes: dict[str, list[str]] = defaultdict(list)
    starts: dict[str, list[str]] = defaultdict(list)
    initials: dict[str, list[str]] = defaultdict(list)
    seconds: dict[str, list[str]] = defaultdict(list)
    for word in sorted(postings):
        initials[word[0]].append(word)
        if len(word) > 1:
            seconds[word[1]].append(word)
        if len(word) >= _PREFIX:
            prefixes[word[:_PREFIX]].append(word)
        if len(word) >= 4:
            starts[word[:4]].append(word)
    return TitleIndex(
        keys=keys,
        key_soc=key_soc,
        key_onet=key_onet,
        key_confidence=key_confidence,
        lookup=lookup,
        candidates=candidates,
        soc_titles=soc_titles,
        soc_onet=soc_onet,
        word_socs=dict(word_socs),
        postings=dict(postings),
        idf=idf,
        key_weight=key_weight,
        vocabulary=sorted(postings),
        prefixes=dict(prefixes),
        vocabulary_by_start=dict(starts),
        vocabulary_by_initial=dict(initials),
        vocabulary_by_second=dict(seconds),
    )


def _settle(
    key: str,
    rows: list[tuple],
    postings: dict[str, list[int]],
    keys: list[str],
    by_key: dict[str, list[tuple]],
) -> tuple[str, float]:
    """The SOC a dictionary title settles to, and how sure that is."""
    if key in HOUSE_TITLES:
        soc = HOUSE_TITLES[key][0]
        return soc, CONFIDENCE["unique"] if {r[0] for r in rows} <= {soc} else CONFIDENCE["house"]
    if len(rows) == 1:
        return rows[0][0], CONFIDENCE["unique"]

    def rank(r: tuple) -> tuple:
        # official title, weightiest kind, entries that read like the key, entries folded into
        # it, a specific occupation, the product's domain
        soc, official, weight, direct, folded, specific = r[:6]
        return (official, weight, direct, folded, specific, soc.startswith(_DOMAIN_PREFIXES))

    ranked = sorted(rows, key=rank, reverse=True)
    best, second = rank(ranked[0]), rank(ranked[1])
    reasons = ("official", "support", "support", "support", "specific", "domain")
    for reason, a, b in zip(reasons, best, second, strict=True):
        if a != b:
            return ranked[0][0], CONFIDENCE[reason]
    # Still tied: the SOC with more titles built on this one ("security officer" ->
    # "hospital security officer", ...), else code order.
    tied = [r[0] for r in ranked if rank(r) == best]
    family = _family(key, postings, keys, by_key)
    counts = sorted(((family.get(soc, 0), soc) for soc in tied), key=lambda c: (-c[0], c[1]))
    if len(counts) > 1 and counts[0][0] != counts[1][0]:
        return counts[0][1], CONFIDENCE["family"]
    return counts[0][1], CONFIDENCE["tie"]


def _family(
    key: str, postings: dict[str, list[int]], keys: list[str], by_key: dict[str, list[tuple]]
) -> dict[str, int]:
    """Per SOC, how many longer dictionary titles contain all of this title's words."""
    words = set(key.split()) - _STOP_WORDS
    if not words:
        return {}
    lists = sorted((postings.get(w, []) for w in words), key=len)
    common = set(lists[0]).intersection(*lists[1:])
    counts: dict[str, int] = defaultdict(int)
    for i in common:
        if keys[i] != key:
            for row in by_key.get(keys[i], ()):
                counts[row[0]] += 1
    return counts


# --- Coding -----------------------------------------------------------------------------------

_PLACE_WEIGHT = 0.3  # a leftover place word ("clinic", "unit") counts little against a match
_PREFIX = 7  # words sharing this many leading letters may be related ("ophthalmic", "-logy")
_RELATED = 0.8  # ... and count as this much of a match
_HEAD_MISMATCH = 0.8  # a match whose last word (the job noun) differs counts this much


@dataclass(frozen=True)
class _Code:
    soc_code: str | None
    onet_code: str | None
    confidence: float
    method: str


_NONE = _Code(None, None, 0.0, "none")

# Titles that name no occupation on their own; whatever they match goes to review.
_VAGUE = _GENERIC_HEADS | {
    "physician", "doctor", "manager", "director", "supervisor", "lead", "team lead", "officer",
    "consultant", "representative", "clerk", "operator", "engineer", "intern", "volunteer",
    "employee", "professional", "practitioner", "therapist", "counselor",
}  # fmt: skip
_VAGUE_CAP = 0.5


def code_titles(
    titles: pl.Series | list[str],
    index: TitleIndex,
    overrides: pl.DataFrame | None = None,
    threshold: float = 0.80,
) -> pl.DataFrame:
    """Return each title with its SOC code, SOC title, O*NET code, confidence and method."""
    series = titles if isinstance(titles, pl.Series) else pl.Series("title", list(titles))
    frame = pl.DataFrame({"title": series.cast(pl.String).rename("title")})
    corrections = _override_map(overrides)

    distinct = frame["title"].drop_nulls().unique(maintain_order=True).to_list()
    by_normalized: dict[str, _Code] = {}
    codes: list[_Code] = []
    for title in distinct:
        normalized = normalize_title(title)
        code = by_normalized.get(normalized)
        if code is None:
            code = by_normalized[normalized] = _code_one(normalized, index, corrections)
        codes.append(code)
    coded = pl.DataFrame(
        {
            "title": distinct,
            "soc_code": [c.soc_code for c in codes],
            "onet_code": [c.onet_code for c in codes],
            "confidence": [c.confidence for c in codes],
            "method": [c.method for c in codes],
        },
        schema={
            "title": pl.String,
            "soc_code": pl.String,
            "onet_code": pl.String,
            "confidence": pl.Float64,
            "method": pl.String,
        },
    )
    soc_titles = pl.DataFrame(
        {"soc_code": list(index.soc_titles), "soc_title": list(index.soc_titles.values())},
        schema={"soc_code": pl.String, "soc_title": pl.String},
    )
    out = (
        frame.join(coded, on="title", how="left", maintain_order="left")
        .join(soc_titles, on="soc_code", how="left", maintain_order="left")
        .with_columns(pl.col("confidence").fill_null(0.0), pl.col("method").fill_null("none"))
        .with_columns(needs_review=pl.col("confidence") < threshold)
    )
    return CodedTitleSchema.validate(out)


def _override_map(overrides: pl.DataFrame | None) -> dict[str, str]:
    if overrides is None or overrides.is_empty():
        return {}
    out: dict[str, str] = {}
    for title, soc in overrides.select("normalized_title", "soc_code").iter_rows():
        if title and soc:
            out[normalize_title(title)] = soc.strip()[:7]
    return out


def _code_one(normalized: str, index: TitleIndex, corrections: dict[str, str]) -> _Code:
    if not normalized:
        return _NONE
    if normalized in corrections:
        soc = corrections[normalized]
        return _Code(soc, index.soc_onet.get(soc), 1.0, "override")
    if normalized.startswith("supervisory "):
        worker = _code_one(normalized[12:], index, corrections)
        supervisor = _SUPERVISOR_SOC.get((worker.soc_code or "")[:2])
        if supervisor is None:
            return worker
        return _Code(supervisor, index.soc_onet.get(supervisor), worker.confidence, worker.method)
    hit = index.lookup.get(normalized)
    if hit is not None:
        code = _Code(index.key_soc[hit], index.key_onet[hit], index.key_confidence[hit], "exact")
    else:
        code = _fuzzy(normalized, index)
    if normalized in _VAGUE and code.confidence > _VAGUE_CAP:
        # "Technician", "Specialist", "Physician": O*NET has an answer, a person should check it.
        return _Code(code.soc_code, code.onet_code, _VAGUE_CAP, code.method)
    return code


def _from_key(index: TitleIndex, key: int, factor: float) -> _Code:
    confidence = min(_FUZZY_CAP, index.key_confidence[key] * factor)
    return _Code(index.key_soc[key], index.key_onet[key], round(confidence, 4), "fuzzy")


def _fuzzy(normalized: str, index: TitleIndex) -> _Code:
    words = [_spell(w, index) for w in normalized.split()]
    if words and words[-1] not in index.idf:
        words[-1] = _complete(words[-1], index)
    respelled = " ".join(words)
    if respelled in index.lookup:
        return _from_key(index, index.lookup[respelled], _FUZZY_CAP)
    # Without place words and words no title uses ("Dietitian HBPC") it may be a known title.
    bare = " ".join(w for w in words if w not in _PLACE_WORDS and w in index.idf)
    if bare and bare in index.lookup:
        return _from_key(index, index.lookup[bare], 0.92)
    scored = _by_words(words, index)
    if scored and scored[0][3]:
        # A dictionary title holds every word of this one ("practical nurse").
        return _word_code(scored, index)
    by_suffix = _by_suffix(words, index)
    if by_suffix is not None:
        return by_suffix
    return _word_code(scored, index) if scored else _NONE


def _by_suffix(words: list[str], index: TitleIndex) -> _Code | None:
    """The longest known job at the end of the title, told apart by the words before it."""
    for start in range(1, len(words)):
        key = index.lookup.get(" ".join(words[start:]))
        if key is None:
            continue
        # Words no dictionary title uses (a place name, a program's acronym) say nothing.
        context = [
            w
            for w in words[:start]
            if w not in _STOP_WORDS and w not in _CONTEXT_PLACES and w in index.idf
        ]
        if not context:
            return _from_key(index, key, 0.85)
        if start == len(words) - 1:
            # One word of job: if no dictionary title pairs it with the words before it
            # ("Psychologist - Ann Arbor"), they say nothing; else weigh all words instead.
            job_keys = set(index.postings.get(words[-1], ()))
            paired = any(
                job_keys.intersection(index.postings[related])
                for word in context
                for related, _ in _related_words(word, index)
            )
            return None if paired else _from_key(index, key, 0.75)
        socs = index.candidates.get(key)
        if socs is None:
            return _from_key(index, key, 0.85)
        scores = {soc: _context_score(context, soc, index) for soc in socs}
        settled = index.key_soc[key]
        ranked = sorted(scores.items(), key=lambda kv: (kv[1], kv[0] == settled), reverse=True)
        (best, top), second = ranked[0], ranked[1][1]
        if top <= second:
            return _from_key(index, key, 0.8)
        total = sum(index.idf.get(w, 0.0) for w in context) or 1.0
        confidence = min(0.9, 0.6 + 0.6 * (top - second) / total)
        return _Code(best, index.soc_onet.get(best, f"{best}.00"), round(confidence, 4), "fuzzy")
    return None


def _context_score(context: list[str], soc: str, index: TitleIndex) -> float:
    """How strongly the words before a job point to one of its SOC codes."""
    score = 0.0
    for word in context:
        share = max(
            (
                index.word_socs.get(w, {}).get(soc, 0.0) * sim
                for w, sim in _related_words(word, index)
            ),
            default=0.0,
        )
        score += index.idf.get(word, 0.0) * share
    return score


def _by_words(words: list[str], index: TitleIndex) -> list[tuple[str, float, int, bool]]:
    """SOC codes ranked by weighted word overlap: (soc, score, key, key holds every word)."""
    words = [w for w in dict.fromkeys(words) if w not in _STOP_WORDS]
    if not words:
        return []
    top_idf = max(index.idf.values())
    query_weight = 0.0
    matched: dict[int, float] = defaultdict(float)
    covered: dict[int, int] = defaultdict(int)
    for word in words:
        place = _PLACE_WEIGHT if word in _PLACE_WORDS else 1.0
        query_weight += index.idf.get(word, top_idf) * place
        best_for_key: dict[int, float] = {}
        for related, similarity in _related_words(word, index):
            share = index.idf[related] * similarity * place
            for key in index.postings[related]:
                if share > best_for_key.get(key, 0.0):
                    best_for_key[key] = share
        for key, share in best_for_key.items():
            matched[key] += share
            covered[key] += 1
    if not matched or query_weight <= 0:
        return []

    head = words[-1]
    head_family = {head, *(w for w, _ in _related_words(head, index))}
    best_by_soc: dict[str, tuple[bool, float, float, int]] = {}
    for key, share in matched.items():
        weight = index.key_weight[key]
        precision = min(1.0, share / weight) if weight else 0.0
        recall = min(1.0, share / query_weight)
        if precision + recall == 0:
            continue
        score = 2 * precision * recall / (precision + recall)
        if index.keys[key].rsplit(" ", 1)[-1] not in head_family:
            score *= _HEAD_MISMATCH
        whole = covered[key] == len(words)
        soc = index.key_soc[key]
        rank = (whole, score, index.key_confidence[key], key)
        current = best_by_soc.get(soc)
        if current is None or rank[:3] > current[:3]:
            best_by_soc[soc] = rank
    ranked = sorted(
        best_by_soc.items(),
        key=lambda kv: (kv[1][0], round(kv[1][1], 6), kv[1][2], -len(index.keys[kv[1][3]])),
        reverse=True,
    )
    return [(soc, score, key, whole) for soc, (whole, score, _, key) in ranked]


def _word_code(scored: list[tuple[str, float, int, bool]], index: TitleIndex) -> _Code:
    soc, score, key, _ = scored[0]
    if score < _FUZZY_FLOOR:
        return _NONE
    runner_up = max((s for _, s, _, _ in scored[1:]), default=0.0)
    margin = max(0.0, score - runner_up)
    confidence = score * min(1.0, 0.7 + 3.0 * margin) * index.key_confidence[key]
    return _Code(soc, index.key_onet[key], round(min(_FUZZY_CAP, confidence), 4), "fuzzy")


def _spell(word: str, index: TitleIndex) -> str:
    """A dictionary word for a misspelled one ("phlebotomst" -> "phlebotomist")."""
    if word in index.idf or len(word) < 5 or not word.isalpha():
        return word
    # A misspelling seldom changes the first letter, though it may drop it ("ractitioner"):
    # compare with the words that start with it, then with those it would start without it.
    for bucket in (index.vocabulary_by_initial, index.vocabulary_by_second):
        found = process.extractOne(
            word, bucket.get(word[0], ()), scorer=fuzz.ratio, score_cutoff=85
        )
        if found:
            return str(found[0])
    return word


def _complete(prefix: str, index: TitleIndex) -> str:
    """The commonest dictionary word a cut-off last word begins ("assis" -> "assistant")."""
    if len(prefix) < 4 or not prefix.isalpha():
        return prefix
    starts = [w for w in index.prefixes.get(prefix[:_PREFIX], ()) if w.startswith(prefix)]
    if len(prefix) < _PREFIX:
        starts = [w for w in index.vocabulary_by_start.get(prefix[:4], ()) if w.startswith(prefix)]
    if not starts:
        return prefix
    return max(starts, key=lambda w: (len(index.postings[w]), w))


def _related_words(word: str, index: TitleIndex) -> list[tuple[str, float]]:
    """The word itself and dictionary words sharing most of its stem ("optometry", "optometric")."""
    out = [(word, 1.0)] if word in index.idf else []
    if len(word) >= _PREFIX:
        for other in index.prefixes.get(word[:_PREFIX], ()):
            if other != word and _common_prefix(word, other) >= 0.7 * min(len(word), len(other)):
                out.append((other, _RELATED))
    return out


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n

"""The calibration corpus: real decisions of authorities and courts, each with its reference, the
facts in our own words, and answers written from the facts alone. `make calibrate` prints the
agreement table; these tests keep the corpus sound and the agreement from sliding back."""

import json
import tomllib

import pytest

from dpia.engine.answers import validate_answers
from dpia.engine.bank import default_bank
from dpia.engine.calibration import CLASSES, DEFAULT_FOLDER, run

FILES = sorted(DEFAULT_FOLDER.glob("*.toml"))
BANK = default_bank()


def cases():
    return {path.stem: tomllib.loads(path.read_text(encoding="utf-8")) for path in FILES}


def test_the_corpus_is_large_and_varied_enough():
    decisions = [case["decision"] for case in cases().values()]
    assert len(decisions) >= 30
    assert sum(d["outcome"] in ("proceed", "proceed_with_conditions", "prior_consultation_required")
               for d in decisions) >= 12
    assert sum(not d["inside_eu"] for d in decisions) >= 4
    assert len({d["country"] for d in decisions}) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_case_names_its_decision_and_its_facts_and_its_answers_are_valid(path):
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    decision = case["decision"]
    for key in ("reference", "source", "country", "outcome", "main_ground"):
        assert str(decision.get(key, "")).strip(), f"{path.name}: decision.{key} is empty"
    assert decision["outcome"] in CLASSES
    assert len(case["facts"]["text"].split()) >= 60, "the facts must be told, in our own words"
    assert set(decision.get("main_ground_rules", [])) <= set(BANK.rules)
    assert validate_answers(case["answers"], BANK) == []


# Measured agreement (make calibrate) on the corpus as it stands: a change to the engine may not make it
# worse in any class. Raise these floors as the engine improves; never lower them to pass. They were last
# raised on 2026-11-28 to 29/29, 22/26 and 10/11 (a targeted measure on a general law, a retention of
# movements set by a law made for an experiment, and an unanswered objection are conditions; the Polish
# canteen case stays apart: its facts let refusers in only after the others, a detriment that keeps the
# presumption against the consent of pupils, GDPR Recital 42).
# A blind round adds decisions the engine has not seen, and a miss among them lowers the measured share
# without the engine getting worse: on 2026-11-28 (evening) ten were added (7 of 10 agreed before any
# change, 9 of 10 after), and the floors follow the measured 32/33, 25/29 and 13/14; the miss is the Bern
# police act (covert GPS tracking allowed for any offence), set out in calibration/README.md.
# A third blind round (2026-11-28, six decisions, 5 of 6 agreed before any change) brings the floors to the
# measured 34/35, 28/33 and 13/14; its miss is the Lisbon police cameras, whose equipment can record sound
# (the authority made disabling it a condition; the engine bars continuous sound capture of passers-by).
# The same day, a question on the offences a measure serves (covert observation or tracking of a person
# allowed for any offence is barred when serious) closed the Bern miss: 35/35.
# A fourth blind round (2026-11-28, session 15: eight decisions, 6 of 8 agreed before any change) and a question
# on functions the equipment does not use (the Lisbon cameras now agree) bring the floors to the measured 38/38,
# 31/35 and 15/17. The Austrian plate readers (stored reads of everyone usable against any offence) were closed
# by a rule written after the miss was seen; the Belgian police camera act, upheld by the Constitutional Court,
# stays a miss (the engine applies the Court of Justice's case law on keeping everyone's movements).
# A fifth blind round (2026-11-28, session 16: eight decisions that allowed a project, five of them by courts
# outside the Union or outside the corpus's usual authorities) agreed on 4 of 8 before any change. Three of the
# four misses turn on general police or municipal powers carrying a moderate or serious interference (Spanish
# traffic drones and a Northern Irish wanted appeal, moderate; Sussex police data sharing, serious), which the
# engine bars unless a law provides for the processing; making that gap a condition at the moderate level was
# measured the same day and rejected (it closes the first two, and two projects found unlawful would pass: Paris
# lockdown drones, Rotterdam camera cars). The floors
# follow the measured 38/38, 33/38 and 17/22; one rule was corrected after the round (a minor suspect in a
# wanted appeal is a suspect, not a passer-by), without changing a verdict.
# Session 17 (2026-11-28) mended the cause at its root: "minors" and "vulnerable people" describe the people in
# a role and no longer widen a targeted measure, and the victims of the offence count among the people a
# targeted measure reaches (Context.targeted). JR38 and the Sussex data sharing then agree: 38/38, 33/38, 19/22.
# A sixth blind round the same session (five of eleven researched decisions read in time) agreed on 3 of 5 with no
# engine change after it: the two misses (a Home Office unit's open-source files on a public speaker, held lawful;
# police extraction of victims' and witnesses' phones, allowed on conditions) rest on general powers carrying a
# serious interference. The floors follow the measured 40/40, 33/39 and 20/24.
# Session 18 (2026-11-29) completed the sixth round and read the six decisions of a seventh: 6 of 12 agreed, with no
# engine change after; four misses are again the engine asking more than the authority (general or purpose-only
# laws at the serious level in Denmark and Slovenia, an unchosen ground at the idea stage, and a fine annulled for
# want of proof in Enschede); two are the engine asking less (Shimovolos and SyRI: the unpublished order and the
# secret risk model were not in the facts, and were left unanswered). The floors follow the measured 42/44, 35/43
# and 22/28.
# Session 19 (2026-11-29) made two general changes (a ground still to be identified before the processing starts is
# a condition, not a bar; overt recording switched on only for a specific case lowers the seriousness one point),
# which brought in Triglav and the Slovenian drones and changed no other verdict; then an eighth blind round of six
# agreed on 5, with no engine change after (the miss: police keeping old convictions under internal guidelines,
# held lawful by the Court of Appeal). The floors follow the measured 44/46, 38/45 and 24/30.
# Session 20 (2026-11-29) told the general law on police processing (the act transposing the LED, read with criminal
# procedure) apart from a bare competence: it carries an investigative technique it does not name on conditions,
# up to a serious interference, and nothing beyond an investigation. Four readers re-read blind, from the facts
# alone, the legal provision of the 38 police streams resting on a general law in 25 cases; the 17 they placed
# under the new choice were changed, no other answer. Measured once after: the Danish police face search and the
# ICO's phone extraction agree, no other verdict changed (44/46, 40/45 and 24/30). A ninth blind round the same
# session (five decisions, four of them police processing) agreed on 3 of 5 with no engine change after: the misses
# are a police central file kept under the general police-data law, which the authority let run while asking the
# legislator for precision, and Army records of an arrest in 1994, both read by the engine as needing a law of their
# own. A review of the change the same day found the relief too broad, and it was narrowed on legal grounds alone:
# criminal procedure frames the open gathering of a case's own evidence, so covert measures (ECHR Art. 8(2)), data
# bought or gathered online, and identifying by their body people the case does not concern (LED Art. 10, EDPB
# 05/2022) stay with the general rule, and criminal procedure says whom only where the stream reaches people the
# case concerns. The Danish face search of everyone's footage is a miss again. The floors follow the measured
# 46/48, 39/46 and 25/32.
# Session 21 (2026-11-29): people named for their public role (officials in their duties, a speaker for what he said
# in public) are a condition, not the bar that protects bystanders; the four streams answered "identifiable" were
# re-read blind with the new choice, two moved, and the Icelandic body-camera ruling agrees (26/32). A tenth blind
# round of six, read after that and two other general changes, agreed on 5 with no engine change after; the miss is
# covert recording on a court warrant that named neither the person nor the measures, which the questionnaire
# counted as a judicial authorisation. Two questions were then added on what an authorisation states (whom or what it
# names, its reasons; ECtHR Roman Zakharov) and re-read blind for the 16 streams authorised by a court or an
# independent authority: the reader knew the content for five, and answered "no" for the Swiss providers' retention,
# seeing no order before it, where the first reader had ticked a court's authorisation; that reading turns the Swiss
# case unlawful. A review the same day found that an order in general terms then weighed more than no independent
# order at all (an honest answer punished, a vague one rewarded): it now weighs the same, which brings the Swiss case
# back; a publication "in a public role" relieves only officials, never passers-by or children in the images. A
# question on the grounds for listing, flagging or scoring a person (facts, own record, association, beliefs or civic
# activity, system patterns, no written criteria) was re-read blind for the 18 streams that score people: the
# Russian travel-alert database of activists now agrees (unlawful); the Butt research, already a miss, stays one.
# An eleventh blind round of six (cameras in public places) agreed on 4 with no engine change after: the misses are a
# detained suspect filmed for television (publication did not raise the seriousness) and Belgian live cameras without
# recording, which the Commission held in 1998 did not engage Article 8 and the reader found without a law. After the
# round, publication of identifiable images raises the seriousness and suspects shown beyond an appeal are barred
# (ECHR Art. 8(2), Charter Art. 48): the detained legislator's case agrees, no other verdict changed. The floors
# follow the measured 50/52, 43/50 and 29/36.
# Session 22 (2026-11-29): a twelfth blind round of six, none of them fixed cameras (a tax fraud-signal register,
# fingerprint clocking of staff, tax scraping of public online content, a police act's chat monitoring, a digital
# identity app with face verification, interception under RIPA), agreed on 3: the misses are the app (consent to a
# public authority presumed unfree, the reader's other way in not tied to the catalogue's outlet for refusers, and
# consent "in public space" read for an app), interception on executive warrants (rights withheld by the secrecy
# law read as restricted without a law) and the police act (open internet searches under a law silent on whom they
# reach; the court annulled only the chat monitoring). After the round, on legal grounds: consent in public space
# needs a place where people are captured, and rights withheld by the law that keeps a measure secret rest on that
# law; the interception case agrees, nothing else moved. The floors follow the measured 52/54, 44/52 and 30/38.
# A thirteenth blind round the same session (water meters, local police body cameras, police cameras under a
# ministerial authorisation, a square's cameras under a permit, a detainee filmed in his cell, a contact-tracing
# pilot) agreed on 5 of 6: the miss is the square's cameras under a statute that only requires a permit. After the
# round, a permit the law requires, obtained for the project, says where the cameras may film (as a law naming the
# places would); the square agrees, nothing else moved. The floors follow the measured 54/56, 46/54 and 32/40.
# Session 23 (2026-11-29): a fourteenth blind round of six (plate cameras ringing a town, ticket inspectors' body
# cameras with sound, police access to a province's traffic cameras, bus cameras on some routes, a police drone filming
# a speeding rider, a police call centre keeping recordings) agreed on 3: both unlawful projects and the bus cameras.
# The misses are police processing under the general police-data law read as lacking a law of its own at the serious
# level (the traffic-camera access, the drone, whose reader ticked "covert" for a recording the rider learns of in
# the proceedings, and the call centre, whose reader could only tick interception for calls made to the police). After
# the round, recording calls made to the body itself is a technology of its own, not interception, and sound counts as
# conversations of passers-by only where a device captures it at a place; no verdict moved. The floors follow the
# measured 56/58, 47/56 and 32/42.
# A fifteenth round the same session, five city and council projects (a council's covert watching of a family, a
# village's camera at its waste site, a facial-recognition test on volunteers, thermal cameras in schools and a town
# hall, cameras at a city pool), agreed on 2 with no change after: the floors follow the measured 57/60, 47/58 and
# 33/43.
FLOORS = {"unlawful": 0.95, "lawful under conditions": 0.81, "lawful": 0.76}


def test_agreement_with_the_authorities_does_not_slide_back():
    results = run(FILES, BANK)
    for name, floor in FLOORS.items():
        rows = [r for r in results if r.outcome_class == name]
        agreed = sum(r.agrees for r in rows) / len(rows)
        assert agreed >= floor, (name, [(r.name, r.verdict) for r in rows if not r.agrees])


PENDING = DEFAULT_FOLDER / "pending"


def test_decisions_awaiting_a_blind_reading_are_complete_and_new():
    """Each pending decision has its facts, its sheet with an outcome the corpus knows, and main-ground rule
    ids that exist, chosen before the engine ran; none is already in the corpus."""
    grounds = json.loads((PENDING / "main_ground_rules.json").read_text(encoding="utf-8"))
    facts = {p.stem for p in (PENDING / "facts").glob("*.txt")}
    sheets = {p.stem: p.read_text(encoding="utf-8") for p in (PENDING / "sheets").glob("*.md")}
    assert facts == set(sheets) == set(grounds)
    assert not facts & {p.stem for p in FILES}
    for slug, text in sheets.items():
        outcome = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("outcome:"))
        assert outcome in CLASSES, slug
        assert set(grounds[slug]) <= set(BANK.rules), slug
        assert "lawful" not in (PENDING / "facts" / f"{slug}.txt").read_text(encoding="utf-8").lower(), slug

"""Step forms never raise on arbitrary input: they accept it or say what is wrong."""

from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dpia.engine.bank import default_bank
from dpia.stepforms import StepForm

BANK = default_bank()
ANSWERS = {"streams.list": [{"key": "s1", "name": "Cameras", "controller_kind": "state_police",
                             "purpose_kind": "crime_prevention", "data_categories": ["biometric_identification"]}]}
junk = st.one_of(st.text(max_size=400), st.sampled_from(["", "-1", "1e309", "NaN", "2026-02-30", "<script>", "\x00"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([s.id for s in BANK.sections]), st.data())
def test_step_forms_take_any_input_without_raising(section_id, data):
    section = BANK.section(section_id)
    blank = StepForm(section=section, bank=BANK, answers=ANSWERS, language="en", prefix=section_id)
    names = [blank.add_prefix(n) for n in blank.fields] + [blank.add_prefix("revision")]
    posted = {name: data.draw(st.lists(junk, max_size=3)) for name in names if data.draw(st.booleans())}
    form = StepForm(MultiValueDict(posted), section=section, bank=BANK, answers=ANSWERS, language="en",
                    prefix=section_id)
    if form.is_valid():
        form.step_answers()
    else:
        assert form.errors

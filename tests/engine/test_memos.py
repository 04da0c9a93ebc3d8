"""The engine's memos against the plain functions they stand in for.

Many events of one instant share their time text, consecutive Automation events share
their runbook's ARN, and a command's events share its nodes' ARNs and its times, so the
engine keeps the last one made (engine/journal.py, engine/command_runs.py). Each property
feeds a memo a drawn sequence with repeats (the same objects again, equal ones, new ones)
and checks every answer against the plain function on the same input.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from ssm_mw_stub.engine.command_runs import Notices
from ssm_mw_stub.engine.delivery import Delivery
from ssm_mw_stub.engine.journal import Journal
from ssm_mw_stub.model import RegionState
from ssm_mw_stub.model.arns import automation_definition_arn, instance_arn, ssm_arn
from ssm_mw_stub.model.commands import new_command
from ssm_mw_stub.model.events import automation_time, iso_millis
from ssm_mw_stub.model.ids import uuid4_text

from ..helpers import START

#: A few instants (the same objects come back), equal copies and new ones.
POOL = [START + timedelta(minutes=n, microseconds=1000 * n) for n in range(4)]
instants = st.one_of(
    st.sampled_from(POOL),
    st.sampled_from(POOL).map(lambda t: t.replace()),  # equal, not the same object
    st.datetimes(
        min_value=datetime(2020, 1, 1),
        max_value=datetime(2030, 1, 1),
        timezones=st.just(timezone.utc),
    ),
)
STATES = [RegionState("123456789012", "us-east-1"), RegionState("210987654321", "eu-west-1")]
states = st.sampled_from(STATES)
names = st.sampled_from(["AWS-RestartEC2Instance", "Custom-Runbook"])
versions = st.sampled_from(["1", "2", "12"])
ids = st.sampled_from(["e-1", "e-2", "i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002"])


def quiet(*_: object) -> None:
    return None


@given(st.lists(instants, max_size=12))
def test_event_times_are_the_plain_texts(times: list[datetime]) -> None:
    journal = Journal(quiet)
    for t in times:
        assert journal.iso(t) == iso_millis(t)
        assert journal.us(t) == automation_time(t)


@given(st.lists(st.tuples(states, ids, names, versions), max_size=12))
def test_automation_event_resources_are_the_plain_arns(
    calls: list[tuple[RegionState, str, str, str]],
) -> None:
    events: list[tuple[str, ...]] = []

    def sink(kind: str, detail: object, resources: tuple[str, ...], *_: object) -> None:
        events.append(resources)

    journal = Journal(sink)
    for state, execution_id, name, version in calls:
        journal.automation_instant(state, execution_id, name, version, "me", START)
        plain = (
            ssm_arn(state.region, state.account, "automation-execution", execution_id),
            automation_definition_arn(state.region, state.account, name, version),
        )
        assert events[-2:] == [plain, plain]


@given(st.lists(st.tuples(states, ids, instants, st.integers(1, 3)), max_size=12))
def test_command_node_arns_and_times_are_the_plain_ones(
    calls: list[tuple[RegionState, str, datetime, int]],
) -> None:
    notices = Notices(Journal(quiet), Delivery())
    for state, instance_id, requested, hours in calls:
        assert notices.arn(state, instance_id) == (
            instance_arn(state.region, state.account, instance_id),
        )
        record = new_command(
            "c-1",
            {"DocumentName": "AWS-RunShellScript", "InstanceIds": [instance_id],
             "TimeoutSeconds": 3600 * hours},
            state.region,
            requested,
        )
        assert notices.times(record) == (
            iso_millis(record.requested), iso_millis(record.expires_after),
        )


@given(st.integers(min_value=0, max_value=(1 << 128) - 1))
def test_id_text_is_what_uuid_prints(bits: int) -> None:
    """Every id the engine and the event log make is ``uuid4_text``: the text of
    ``uuid.UUID(int=bits, version=4)``, built without the UUID object."""
    assert uuid4_text(bits) == str(uuid.UUID(int=bits, version=4))

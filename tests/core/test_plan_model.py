"""The plan JSON contract: versioned, typed, and its published schema matches what is written."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rubdown.core.models import PlanError, PlanRequest, Segment
from rubdown.core.plan_model import PlanModel, SegmentModel, plan_schema
from rubdown.core.planjson import PLAN_VERSION, plan_from_json, plan_to_json
from rubdown.core.planner import plan_session

REQUESTS = st.builds(
    PlanRequest,
    minutes=st.integers(5, 90),
    position=st.sampled_from(["any", "seated", "lying"]),
    vary=st.integers(0, 50),
)


def test_the_model_has_exactly_the_segment_fields() -> None:
    model = set(SegmentModel.model_fields) - {"offline"}
    assert model == {f.name for f in dataclasses.fields(Segment)}


@pytest.mark.parametrize("offline", [False, True])
@settings(deadline=None, max_examples=60)
@given(request=REQUESTS)
def test_every_written_plan_fits_the_model_and_the_schema(
    cat, request: PlanRequest, offline: bool
) -> None:
    try:
        plan = plan_session(cat, request)
    except PlanError:
        return
    data = plan_to_json(plan, offline=offline)
    assert data["version"] == PLAN_VERSION
    PlanModel.model_validate(data)
    jsonschema.validate(data, plan_schema())
    assert plan_from_json(data) == plan


def test_a_stored_plan_without_a_version_still_reads(cat) -> None:
    data = plan_to_json(plan_session(cat, PlanRequest(minutes=10, vary=1)))
    del data["version"]
    assert plan_from_json(data).minutes == 10


def test_a_plan_from_a_newer_rubdown_is_refused(cat) -> None:
    data = plan_to_json(plan_session(cat, PlanRequest(minutes=10, vary=1)))
    data["version"] = PLAN_VERSION + 1
    with pytest.raises(PlanError, match="newer than this rubdown reads"):
        plan_from_json(data)


def test_schema_command_prints_the_plan_schema() -> None:
    command = [sys.executable, "-c", "from rubdown.cli.main import main; main()"]
    out = subprocess.run([*command, "schema", "--plan"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    schema = json.loads(out.stdout)
    assert schema["title"] == f"rubdown plan, version {PLAN_VERSION}"
    assert "segments" in schema["required"]

"""Whatever JSON arrives, the API answers with a 2xx or a 4xx, never a 500."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=6)
FIELDS = [
    "minutes",
    "position",
    "routine",
    "pressure",
    "focus",
    "avoid",
    "conditions",
    "vary",
    "giver",
    "receiver",
    "kind",
    "clock_s",
    "action",
    "by",
    "status",
    "overall",
    "name",
]
bodies = st.one_of(st.dictionaries(st.sampled_from(FIELDS), values, max_size=6), values)
PATHS = [
    "/api/plan",
    "/api/sessions",
    "/api/people",
    "/api/sessions/1/events",
    "/api/sessions/1/control",
    "/api/sessions/1/finish",
    "/api/sessions/1/feedback",
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(PATHS), body=bodies)
def test_never_a_server_error(client: TestClient, path: str, body: Any) -> None:
    if path.startswith("/api/sessions/1") and client.get("/api/sessions/1").status_code == 404:
        client.post("/api/sessions", json={"minutes": 5})
    reply = client.post(path, json=body)
    assert reply.status_code < 500, (path, body, reply.text)
    assert "error" in reply.json() or "refused" in reply.json() or reply.status_code < 300

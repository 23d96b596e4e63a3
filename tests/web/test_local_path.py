"""One rule for where a page may send the browser next (`next=`): a path of this server only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rubdown.web.security import local_path

# What a link could carry to send a visitor to another site, each as the server receives it.
HOSTILE = [
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "http://evil.example/",
    "https://evil.example/plan",
    "%2F%2Fevil.example",
    "javascript:alert(1)",
    "/\n/evil.example",
    "/\t/evil.example",
    "/\r\nSet-Cookie: x=1",
    "/\x00/evil.example",
    " //evil.example",
    "evil.example",
    "",
    None,
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_next_falls_back(value: str | None) -> None:
    assert local_path(value, "/plan") == "/plan"


@pytest.mark.parametrize("value", ["/", "/plan?receiver=Cy", "/remote/3", "/screen/Cy?next=%2F"])
def test_a_path_of_this_server_is_kept(value: str) -> None:
    assert local_path(value, "/") == value


@given(st.text(max_size=40))
def test_the_result_never_names_another_host(value: str) -> None:
    kept = local_path(value, "/fallback")
    assert kept == "/fallback" or kept == value
    cleaned = "".join(ch for ch in kept if ch not in "\t\n\r").replace("\\", "/")
    assert cleaned.startswith("/") and not cleaned.startswith("//")

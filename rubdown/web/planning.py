"""Planning for the web edge: requests from form or JSON input, plans, sessions, choices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rubdown.core.models import MAX_MINUTES, MIN_MINUTES, Catalogue, Plan, PlanRequest, Profile
from rubdown.core.planjson import plan_to_json
from rubdown.core.planner import plan_session
from rubdown.core.safety import check_profile_ids
from rubdown.core.words import PRESSURES
from rubdown.session.engine import check_people
from rubdown.store.profiles import profile_for, screen_gate

if TYPE_CHECKING:
    from rubdown.web.schemas import PlanIn
    from rubdown.web.state import WebState


def plan_request(state: WebState, body: PlanIn) -> PlanRequest:
    """The planner's request: the receiver's stored profile plus today's choices."""
    profile = profile_for(
        state.store,
        body.receiver or None,
        pressure=body.pressure,
        focus=body.focus,
        avoid=body.avoid,
        conditions=body.conditions,
    )
    return PlanRequest(
        minutes=body.minutes,
        position=body.position or "any",
        routine=body.routine or None,
        profile=profile,
        vary=body.vary,
        calibrate=body.calibrate,
    )


def make_plan(state: WebState, body: PlanIn) -> Plan:
    """Plan a session (PlanError or Refusal when it cannot or must not be done)."""
    return plan_session(state.cat, plan_request(state, body))


def plan_payload(state: WebState, plan: Plan) -> dict[str, Any]:
    """A plan with its spoken cues and how to fetch their audio."""
    return {
        "refused": False,
        "plan": plan_to_json(plan),
        "cues": state.cues.cue_list(plan),
        "voice": voice_info(state),
    }


def voice_info(state: WebState) -> dict[str, Any]:
    """Whether the server speaks, where the rhythm ticks are, and the mix's levels."""
    from rubdown.voice.mix import web_mix

    return {
        "server": state.cues.available,
        **state.cues.info(),
        "progress_url": "/api/voice/progress",
        "ticks": {"down": "/api/ticks/down.wav", "up": "/api/ticks/up.wav"},
        "mix": web_mix(),
    }


def start_session(state: WebState, body: PlanIn) -> tuple[int, Plan]:
    """Check the people and the receiver's red-flag screen, plan, then open a running session
    owned by this server (ScreenRefusal or ScreenNeeded when the screen is not clear)."""
    giver, receiver = body.giver or None, body.receiver or None
    check_people(state.store, giver, receiver)  # before planning, like the terminal guide
    screen_gate(state.store, receiver)
    plan = make_plan(state, body)
    live = state.live.start(plan, giver, receiver)
    return live.session_id, plan


def check_person_ids(
    cat: Catalogue, conditions: list[str], focus: list[str], avoid: list[str]
) -> None:
    """PlanError with the valid choices when a region or condition is unknown."""
    check_profile_ids(
        cat, Profile(focus=tuple(focus), avoid=tuple(avoid), conditions=tuple(conditions))
    )


def choices(cat: Catalogue) -> dict[str, Any]:
    """Everything a form offers: regions head to toe, positions, conditions, routines."""
    regions = sorted(cat.regions.values(), key=lambda r: r.order)
    return {
        "minutes": {"min": MIN_MINUTES, "max": MAX_MINUTES, "default": 30},
        "pressures": list(PRESSURES),
        "regions": [{"id": r.id, "name": r.name} for r in regions],
        "positions": [{"id": p.id, "name": p.name} for p in cat.positions.values()],
        "conditions": [
            {"id": c.id, "name": c.name, "refuse": c.refuse, "needs_avoid": c.requires_avoid}
            for c in cat.conditions.values()
        ],
        "routines": [
            {"id": r.id, "name": r.name, "minutes": r.minutes, "position": r.position}
            for r in cat.routines.values()
        ],
    }

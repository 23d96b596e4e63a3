"""Planning time over 1,000 random requests: median and p99 (targets 1 ms and 5 ms).

With --digest, print instead a sha256 over every request's plan JSON (or its error's type and
message), so a speed-up can show it changed no plan.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import random
import statistics
import time

from rubdown.core.catalogue import load_catalogue
from rubdown.core.models import Catalogue, PlanError, PlanRequest, Profile
from rubdown.core.planjson import plan_to_json
from rubdown.core.planner import plan_session

REQUESTS = 1000


def random_request(
    rng: random.Random,
    regions: list[str],
    conditions: list[str],
    routines: dict[str, int],
    positions: list[str],
) -> PlanRequest:
    """A plausible request: any length and position, a few focus/avoid regions and conditions.

    A quarter follow a routine, at half to one and a half times its designed length.
    """
    profile = Profile(
        pressure=rng.choice([None, "light", "medium", "firm"]),
        focus=tuple(rng.sample(regions, rng.randint(0, 2))),
        avoid=tuple(rng.sample(regions, rng.randint(0, 2))),
        conditions=tuple(rng.sample(conditions, rng.randint(0, 2))),
    )
    routine = rng.choice([None, None, None, *routines]) if rng.random() < 0.5 else None
    if routine is not None:
        length = routines[routine]
        return PlanRequest(
            minutes=rng.randint(max(5, length // 2), min(90, length * 3 // 2)),
            routine=routine,
            profile=profile,
        )
    return PlanRequest(
        minutes=rng.randint(5, 90),
        position=rng.choice(["any", *positions]),
        profile=profile,
        vary=rng.choice([None, rng.randint(0, 10**6)]),
    )


def bench_requests(cat: Catalogue) -> list[PlanRequest]:
    """The same 1,000 requests on every run."""
    rng = random.Random(20261124)
    conditions = [c for c, v in cat.conditions.items() if not v.refuse and not v.requires_avoid]
    routines = {r.id: r.minutes for r in cat.routines.values()}
    args = (sorted(cat.regions), conditions, routines, sorted(cat.positions))
    return [random_request(rng, *args) for _ in range(REQUESTS)]


def digest(cat: Catalogue, requests: list[PlanRequest]) -> str:
    """A sha256 over each request's canonical plan JSON, or its error's type and message."""
    hasher = hashlib.sha256()
    for request in requests:
        try:
            answer: object = plan_to_json(plan_session(cat, request), offline=True)
        except PlanError as err:
            answer = {"error": type(err).__name__, "message": err.message, "choices": err.choices}
        hasher.update(json.dumps(answer, sort_keys=True, separators=(",", ":")).encode())
        hasher.update(b"\n")
    return hasher.hexdigest()


def main() -> None:
    """Time plan_session over random requests and print the figures (or, asked, their digest)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digest", action="store_true", help="print a sha256 of all the plans")
    cat = load_catalogue()
    requests = bench_requests(cat)
    if parser.parse_args().digest:
        print(f"plans: {REQUESTS} requests, sha256 {digest(cat, requests)}")
        return
    for request in requests[:50]:  # warm up caches and the interpreter
        with contextlib.suppress(PlanError):
            plan_session(cat, request)
    timings, cpu, errors = [], [], 0
    for request in requests:
        start, start_cpu = time.perf_counter(), time.thread_time()
        try:
            plan_session(cat, request)
        except PlanError:
            errors += 1
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    print(f"planner: {REQUESTS} random requests ({errors} answered with a clear error)")
    # CPU time too: on a shared, loaded machine wall time mostly measures the neighbours.
    for label, values in (("wall", timings), ("cpu", cpu)):
        values.sort()
        p99 = values[int(len(values) * 0.99) - 1]
        print(f"  {label:4}  median {statistics.median(values):.3f} ms (target <= 1 ms)", end="")
        print(f"   p99 {p99:.3f} ms (target <= 5 ms)   max {values[-1]:.3f} ms")


if __name__ == "__main__":
    main()

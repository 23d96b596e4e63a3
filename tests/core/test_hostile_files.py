"""Hostile and broken content files: every one a located problem, fast, never a crash."""

from __future__ import annotations

import gc
import re
import resource
import subprocess
import sys
import time
from itertools import count
from pathlib import Path

import pytest
from hostile_files import issue_files, mutated_files, write_all

from rubdown.core.catalogue import check_files, load_catalogue
from rubdown.core.models import Catalogue
from rubdown.core.source import Limits, parse_yaml, reading_clock

LOCATED = re.compile(r"^.+:\d+:\d+: \S")
# A loose ceiling for one file (the issue's 2 s); typical files take milliseconds.
CEILING_S = 2.0


def _check(*paths: Path) -> subprocess.CompletedProcess[str]:
    code = "from rubdown.cli.main import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, "check", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_the_generator_makes_hundreds_of_broken_files() -> None:
    assert len(list(mutated_files())) >= 300


@pytest.mark.parametrize("name, data", list(issue_files()), ids=lambda v: str(v)[:30])
def test_each_attack_from_the_issue_is_one_located_problem(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    # CPU time, not wall time: a busy machine must not fail a file that reads quickly.
    started = _children_cpu_s()
    done = _check(path)
    took = _children_cpu_s() - started
    assert done.returncode == 1, done.stderr  # not 139 (a crash), not 0
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert lines and all(LOCATED.match(line) and str(path) in line for line in lines)
    assert took < CEILING_S * 3  # includes starting Python; the file itself is in the next test


def test_every_generated_file_has_located_problems_within_the_ceiling(
    tmp_path: Path, cat: Catalogue
) -> None:
    slow, clean = [], []
    for path in write_all(tmp_path):
        started = time.process_time()
        problems = check_files([path], cat)
        if time.process_time() - started > CEILING_S:
            slow.append(path.name)
        if not problems:
            clean.append(path.name)
        assert all(LOCATED.match(str(p)) for p in problems), problems
    assert not slow and not clean


def test_check_over_the_whole_folder_never_crashes(tmp_path: Path) -> None:
    paths = write_all(tmp_path)
    done = _check(tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert all(LOCATED.match(line) for line in lines)
    named = {line.split(":", 1)[0] for line in lines}
    assert {str(p) for p in paths} <= named


def test_a_library_of_hostile_files_is_left_out_and_planning_goes_on(tmp_path: Path) -> None:
    routines = tmp_path / "lib" / "routines"
    routines.mkdir(parents=True)
    for name, data in issue_files():
        (routines / name).write_bytes(data)
    code = "from rubdown.cli.main import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "plan", "--minutes", "10", "--library", str(tmp_path / "lib")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert f"left out {len(list(issue_files()))} library file(s)" in done.stderr


def test_reading_stops_when_the_time_budget_is_spent() -> None:
    ticks = count(step=10.0)
    data, problems = parse_yaml("a: [1, 2, 3]\n", "slow.yaml", clock=lambda: next(ticks))
    assert data is None
    assert [str(p) for p in problems] == [
        "slow.yaml:1:1: file takes too long to read (over 2 s): make it smaller"
    ]


@pytest.mark.parametrize(
    "text, limits, message",
    [
        ("a: " + "[" * 5 + "]" * 5, Limits(max_depth=4), "nested too deeply (more than 4 levels)"),
        ("a: &x [1, 2]\nb: [*x, *x, *x]\n", Limits(max_aliases=2), "more than 2 aliases"),
        ("a: &x [1, 2, 3]\nb: [*x, *x]\n", Limits(max_nodes=8), "too many values"),
        ("a: 1234567\n", Limits(max_digits=6), "a number of 7 digits (at most 6 are read)"),
        ("? [a]\n: 1\n", Limits(), "a key must be plain text"),
    ],
)
def test_each_limit_is_a_located_problem(text: str, limits: Limits, message: str) -> None:
    data, problems = parse_yaml(text, "f.yaml", limits)
    assert data is None
    assert len(problems) == 1 and message in problems[0].message
    assert problems[0].line >= 1 and problems[0].column >= 1


def test_quoted_digits_are_text_not_numbers() -> None:
    data, problems = parse_yaml(f'a: "{"9" * 50}"\n', "f.yaml")
    assert problems == [] and data == {"a": "9" * 50}


def test_shipped_content_is_within_every_limit() -> None:
    load_catalogue()  # raises if any shipped file trips a limit


def test_a_garbage_collection_during_a_read_is_not_charged_to_the_file() -> None:
    # A full collection of a big process (a long test run, a long-lived server) once took
    # the shipped regions file over its budget; the file itself reads in milliseconds.
    def collect_slowly(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started = time.thread_time()
            while time.thread_time() - started < 0.3:
                pass

    threshold = gc.get_threshold()
    gc.callbacks.append(collect_slowly)
    gc.set_threshold(1)
    try:
        text = "".join(f"k{i}: [a, b, {{c: d}}]\n" for i in range(300))
        data, problems = parse_yaml(text, "big.yaml", Limits(seconds=0.2))
    finally:
        gc.set_threshold(*threshold)
        gc.callbacks.remove(collect_slowly)
    assert problems == [] and len(data) == 300


def test_the_reading_clock_counts_this_threads_work() -> None:
    started = reading_clock()
    total = sum(i * i for i in range(3_000_000))  # plain computing, no system calls
    assert total > 0 and reading_clock() - started >= 0.02

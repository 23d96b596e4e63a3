"""The printable sheet: well-formed HTML with a body map per step, and a 1-2 page PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from rubdown.core.models import PlanRequest, Profile
from rubdown.core.planner import plan_session
from rubdown.paper import sheet_html, sheet_pdf
from rubdown.paper.sheet import clock, sheet_steps

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class StrictChecker(HTMLParser):
    """Fails on any unclosed, stray or misnested tag; collects what the tests look at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.counts: dict[str, int] = {}
        self.attrs: dict[str, dict[str, str | None]] = {}
        self.title = ""
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        self.counts[tag] = self.counts.get(tag, 0) + 1
        self.attrs.setdefault(tag, dict(attrs))
        self.ids += [v for k, v in attrs if k == "id"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.counts[tag] = self.counts.get(tag, 0) + 1
        self.ids += [v for k, v in attrs if k == "id"]

    def handle_endtag(self, tag):
        assert tag not in VOID, f"end tag for void element <{tag}>"
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "title" and "svg" not in self.stack:
            self.title += data


def check(html: str) -> StrictChecker:
    checker = StrictChecker()
    checker.feed(html)
    checker.close()
    assert not checker.stack, f"unclosed: {checker.stack}"
    return checker


@pytest.fixture(scope="module")
def routine_plan(cat):
    return plan_session(cat, PlanRequest(minutes=None, routine="seated-shoulders-back"))


@pytest.fixture(scope="module")
def pdf_file(cat, routine_plan, tmp_path_factory):
    path = tmp_path_factory.mktemp("sheet") / "sheet.pdf"
    path.write_bytes(sheet_pdf(routine_plan, cat))
    return path


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(
    "request_",
    [
        PlanRequest(minutes=None, routine="seated-shoulders-back"),
        PlanRequest(minutes=30, position="lying", profile=Profile(conditions=("slipped-disc",))),
        PlanRequest(minutes=20, position="seated-forearms", profile=Profile(focus=("neck",))),
    ],
    ids=["routine", "lying-condition", "forearms-focus"],
)
def test_html_is_well_formed_with_lang_title_and_a_map_per_step(cat, request_):
    plan = plan_session(cat, request_)
    html = sheet_html(plan, cat)
    checker = check(html)
    assert checker.doctype.lower() == "doctype html"
    assert checker.attrs["html"].get("lang") == "en"
    assert checker.title.strip()
    assert len(checker.ids) == len(set(checker.ids)), "duplicate ids"
    steps = sheet_steps(plan, cat)
    assert checker.counts["article"] == len(steps)
    assert checker.counts["svg"] == len(steps)
    text = words(re.sub(r"<[^>]+>", " ", html))
    for step in steps:
        assert step.technique_name in text
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")


def test_conditions_notes_and_set_up_come_before_the_steps(cat):
    plan = plan_session(
        cat, PlanRequest(minutes=30, position="seated", profile=Profile(conditions=("pregnancy",)))
    )
    html = sheet_html(plan, cat)
    condition = cat.conditions["pregnancy"]
    places = [
        html.index(condition.name),
        html.index(plan.notes[0]),
        html.index("Getting ready"),
        html.index("The steps"),
    ]
    assert places == sorted(places)


def test_each_step_map_marks_its_region(cat, routine_plan):
    html = sheet_html(routine_plan, cat)
    for step in sheet_steps(routine_plan, cat):
        card = html.split(f'id="step-{step.number}"')[1].split("</article>")[0]
        assert f'id="step{step.number}-region-{step.region}" class="region current"' in card
        # The motion's numbered arrows replace the old one-way arrow.
        assert 'class="motion"' in card and step.motion is not None
        assert 'class="arrows"' not in card


def test_split_segments_of_a_step_are_merged(cat):
    plan = plan_session(cat, PlanRequest(minutes=30, position="lying"))
    steps = sheet_steps(plan, cat)
    assert len(steps) == len({s.step_index for s in plan.steps})
    assert any("each side" in s.count for s in steps)
    assert [s.number for s in steps] == list(range(1, len(steps) + 1))


def test_cautions_come_from_the_catalogue(cat, routine_plan):
    html = sheet_html(routine_plan, cat)
    for caution in cat.techniques["shoulder-outward-strokes"].cautions:
        assert caution in html.replace("&#39;", "'")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_holds_every_step_name(cat, routine_plan, pdf_file):
    assert pdf_file.read_bytes().startswith(b"%PDF")
    text = words(subprocess.run(["pdftotext", str(pdf_file), "-"], capture_output=True,
                                text=True, check=True).stdout)  # fmt: skip
    for step in sheet_steps(routine_plan, cat):
        assert step.technique_name in text, step.technique_name
    assert "Getting ready".upper().replace(" ", "") in text.replace(" ", "")


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_a_thirty_minute_sheet_is_one_or_two_pages(pdf_file):
    info = subprocess.run(["pdfinfo", str(pdf_file)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    assert 1 <= pages <= 2


@pytest.mark.parametrize("bad", ["<div><p>text</div>", "<ul><li>one</ul>", "<section>"])
def test_the_strict_checker_catches_broken_markup(bad):
    with pytest.raises(AssertionError):
        check(bad)


def test_the_sheet_ends_as_the_session_does_with_the_check_ins_on_the_way(cat):
    # A therapist's reading: the steps list stopped at the last step, so a couple following
    # the paper missed the still hold, getting up slowly and the water.
    plan = plan_session(cat, PlanRequest(minutes=30, position="lying", profile=Profile()))
    text = words(re.sub(r"<[^>]+>", " ", sheet_html(plan, cat)))
    assert text.index("The steps") < text.index("Along the way, and the end")
    for seg in plan.segments:
        if seg.kind in ("hold", "closing"):
            assert words(seg.say) in text
    check_ins = [s for s in plan.segments if s.kind == "check-in"]
    assert check_ins and f"Check in with your partner at {clock(check_ins[0].start_s)}" in text

"""The body-map drawing: one element per region, and the helper that marks one."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from rubdown.web.bodymap import CENTRES, REGION_CENTRES, base_svg, bodymap_svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.mark.parametrize("view", ["back", "front"])
def test_every_region_a_view_shows_has_an_element_with_a_title(cat, view):
    root = parse(base_svg(view))
    assert root.get("viewBox") == "0 0 200 420"
    shown = {r for p in cat.positions.values() if p.view == view for r in p.reaches}
    for region in (cat.regions[r] for r in shown):
        element = root.find(f".//*[@id='region-{region.id}']")
        assert element is not None, region.id
        classes = (element.get("class") or "").split()
        assert classes[0] == "region" and ("no-press" in classes) == region.no_press, region.id
        assert element.get("data-region") == region.id
        title = element.find(f"{SVG}title")
        assert title is not None and (title.text or "").startswith(region.name)
    assert set(CENTRES[view]) == {
        r for r in cat.regions if root.find(f".//*[@id='region-{r}']") is not None
    }


def test_every_region_is_on_some_view(cat):
    assert set(cat.regions) == set(CENTRES["back"]) | set(CENTRES["front"])
    assert set(REGION_CENTRES) == set(CENTRES["back"])


@pytest.mark.parametrize("view", ["back", "front"])
def test_no_inline_colours_or_external_references(view):
    svg = base_svg(view)
    assert " fill=" not in svg and " stroke=" not in svg and "style=" not in svg
    assert "href" not in svg and "url(" not in svg and "@import" not in svg


def test_front_view_marks_a_face_up_region_with_arrows_on_both_legs():
    root = parse(bodymap_svg("shins", "up", view="front"))
    current = [e.get("id") for e in root.iter() if "current" in (e.get("class") or "").split()]
    assert current == ["region-shins"]
    assert len(root.findall(f".//{SVG}g[@class='arrows']/{SVG}path")) == 2
    with pytest.raises(ValueError, match="front view"):
        bodymap_svg("glutes", view="front")


def test_highlight_marks_one_region_current():
    root = parse(bodymap_svg("glutes"))
    current = [e.get("id") for e in root.iter() if "current" in (e.get("class") or "").split()]
    assert current == ["region-glutes"]


@pytest.mark.parametrize(("region", "arrows"), [("spine", 1), ("shoulders", 2), ("neck", 1)])
def test_direction_draws_an_arrow_per_side(region, arrows):
    down = parse(bodymap_svg(region, "down"))
    group = down.find(f".//{SVG}g[@class='arrows']")
    assert group is not None and group.get("data-direction") == "down"
    paths = group.findall(f"{SVG}path")
    assert len(paths) == arrows
    # The tip is the lowest point of a down arrow and the highest of an up arrow.
    ys = [float(y) for y in re.findall(r"[\d.]+ ([\d.]+)", paths[0].get("d"))]
    up = parse(bodymap_svg(region, "up")).find(f".//{SVG}g[@class='arrows']/{SVG}path")
    up_ys = [float(y) for y in re.findall(r"[\d.]+ ([\d.]+)", up.get("d"))]
    assert ys[4] == max(ys) and up_ys[4] == min(up_ys)


def test_size_and_id_prefix():
    svg = bodymap_svg("neck", size=100, id_prefix="s1-")
    root = parse(svg)
    assert root.get("height") == "100" and root.get("width") == "48"
    assert all(e.get("id").startswith("s1-") for e in root.iter() if e.get("id"))
    assert root.find(".//*[@id='s1-region-neck']") is not None


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="region"):
        bodymap_svg("elbow")
    with pytest.raises(ValueError, match="direction"):
        bodymap_svg("neck", "sideways")
    assert bodymap_svg() == base_svg()

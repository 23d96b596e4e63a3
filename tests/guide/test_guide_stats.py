"""`rubdown stats`: a bad chart path, an empty database, the chart and the number format."""

from __future__ import annotations

import warnings

import pytest
from click.testing import CliRunner
from guide_helpers import all_clear

from rubdown.cli.main import cli
from rubdown.cli.stats_view import draw_chart
from rubdown.store.turns import stats

FAST = ("--speed", "1000", "--voice", "none", "--no-ticks")


def run(*args):
    return CliRunner().invoke(cli, list(args))


def ann_gives_bo_five_minutes():
    run("people", "add", "Ann")
    run("people", "add", "Bo")
    run("screen", "--for", "Bo", *all_clear())
    result = run("guide", "--minutes", "5", *FAST, "--giver", "Ann", "--for", "Bo")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("where", ["no-such-folder/b.png", "file.txt/b.svg"])
def test_an_unwritable_chart_path_is_refused_before_any_output(data_dir, tmp_path, where):
    (tmp_path / "file.txt").write_text("not a folder")
    ann_gives_bo_five_minutes()
    result = run("stats", "--plot", str(tmp_path / where))
    assert result.exit_code == 2, result.output
    assert "cannot write" in result.output and "Traceback" not in result.output
    assert "Since" not in result.output  # nothing printed before the error


def test_stats_on_an_empty_database_say_there_are_no_sessions(data_dir):
    result = run("stats")
    assert result.exit_code == 0, result.output
    assert "No sessions between named people" in result.output
    assert "Person" not in result.output and "Week of" not in result.output


def test_a_chart_of_an_empty_database_warns_about_nothing_and_writes_nothing(data_dir, tmp_path):
    chart = tmp_path / "empty.png"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run("stats", "--plot", str(chart))
    assert result.exit_code == 0, result.output
    assert [str(w.message) for w in caught] == []
    assert "No sessions between named people" in result.output and not chart.exists()


def test_the_chart_shows_given_and_received_per_person_with_the_balance(data_dir, store):
    ann_gives_bo_five_minutes()
    fig = draw_chart(stats(store, 2))
    [ax] = fig.axes
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["Ann gave", "Ann received", "Bo gave", "Bo received"]
    heights = sorted(round(bar.get_height(), 1) for bar in ax.patches if bar.get_height())
    assert heights == [5.0, 5.0]
    assert "Ann +5.0 min" in ax.get_title() and "Bo -5.0 min" in ax.get_title()


def test_stats_show_minutes_with_one_decimal_and_the_balance_with_sign_and_unit(data_dir):
    ann_gives_bo_five_minutes()
    output = run("stats", "--weeks", "1").output
    assert "+5.0 min" in output and "-5.0 min" in output
    assert "5.0 / 0.0" in output and "0.0 / 5.0" in output

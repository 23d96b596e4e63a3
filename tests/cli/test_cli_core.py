"""The core commands through click's runner: plan, listings, show, check, schema, help."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import jsonschema
import pytest
from click.testing import CliRunner

from rubdown.cli.main import cli
from rubdown.core.catalogue import CONTENT_DIR
from rubdown.core.models import SEGMENT_KINDS


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_plan_json_fits_the_minutes_and_follows_the_contract():
    result = run(
        "plan",
        "--minutes",
        "30",
        "--position",
        "lying",
        "--focus",
        "shoulders",
        "--condition",
        "slipped-disc",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert abs(data["total_seconds"] - 1800) <= 10
    kinds = {s["kind"] for s in data["segments"]}
    assert kinds <= set(SEGMENT_KINDS) and "hold" in kinds
    assert any("slipped" in n.lower() for n in data["notes"])


def test_plan_table_shows_total_and_notes():
    # 12 minutes: at 10 the seated plan has no room left for the low back the note is about.
    result = run("plan", "--minutes", "12", "--condition", "sciatica")
    assert result.exit_code == 0
    assert "Total: 12:00" in result.output and "sciatica" in result.output.lower()


def test_a_refusal_exits_3_with_json_reason():
    result = run("plan", "--condition", "fever", "--json")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["refused"] is True and "fever" in data["reason"].lower()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--focus", "elbow"], "shoulders"),
        (["--avoid", "knee"], "shoulders"),
        (["--condition", "flu"], "slipped-disc"),
        (["--routine", "nope"], "quick-neck-shoulders"),
        (["--minutes", "3"], "5 to 90"),
        (["--minutes", "91"], "5 to 90"),
        (["--position", "standing"], "seated"),
    ],
)
def test_bad_choices_exit_2_and_list_valid_ones(args, needle):
    result = run("plan", *args)
    assert result.exit_code == 2
    assert needle in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("listing", ["techniques", "routines", "conditions", "regions"])
def test_listings_print_tables_and_json(listing):
    assert run(listing).exit_code == 0
    data = json.loads(run(listing, "--json").output)
    assert len(data) >= 3 and all("id" in item for item in data)
    if listing == "routines":
        assert len(data) >= 12


def test_show_prints_a_routine_and_rejects_unknown_ones():
    result = run("show", "seated-shoulders-back")
    assert result.exit_code == 0 and "shoulder-outward-strokes" in result.output
    assert run("show", "nope").exit_code == 2


def test_check_reports_every_problem_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: x\nname: X\nposition: seated\nminutes: 10\nsteps:\n"
        "  - technique: nope\n    region: neck\n  - technique: long-glide\n"
        "    region: elbow\n"
    )
    result = run("check", str(bad))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(bad))]
    assert len(lines) >= 2 and all(line.count(":") >= 3 for line in lines)
    assert "Traceback" not in result.output


def test_check_accepts_the_shipped_routines():
    files = sorted(str(p) for p in (CONTENT_DIR / "routines").glob("*.yaml"))
    result = run("check", *files)
    assert result.exit_code == 0, result.output


def test_schema_is_valid_and_accepts_every_shipped_routine():
    import yaml

    schema = json.loads(run("schema").output)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in (CONTENT_DIR / "routines").glob("*.yaml"):
        jsonschema.validate(yaml.safe_load(path.read_text()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {
                "id": "x",
                "name": "x",
                "position": "seated",
                "minutes": 10,
                "steps": [{"technique": "nope", "region": "neck"}],
            },
            schema,
        )


def walk(group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name))


def test_every_command_has_help_text():
    commands = list(walk(cli))
    assert len(commands) >= 8
    for path, command in commands:
        assert command.help and command.help.strip(), path
        result = run(*path, "--help")
        assert result.exit_code == 0 and "Usage" in result.output


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from rubdown.cli.main import cli\n"
        "heavy = [m for m in ('sqlalchemy', 'rich', 'fastapi', 'weasyprint', 'matplotlib',"
        " 'icalendar', 'yaml') if m in sys.modules]\nprint(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_broken_library_file_is_left_out_with_a_warning_not_fatal(tmp_path):
    (tmp_path / "routines").mkdir()
    (tmp_path / "routines" / "broken.yaml").write_text("id: x\n")
    result = CliRunner().invoke(cli, ["plan", "--library", str(tmp_path), "--minutes", "5"])
    assert result.exit_code == 0
    assert "left out 1 library file" in result.stderr
    assert str(tmp_path / "routines" / "broken.yaml") in result.stderr


def test_check_takes_a_folder_and_counts_in_words(tmp_path):
    (tmp_path / "routines").mkdir()
    (tmp_path / "routines" / "broken.yaml").write_text("id: x\nname: X\n")
    result = run("check", str(tmp_path))
    assert result.exit_code == 1
    assert "3 problems found" in result.stderr
    assert "missing 'steps'" in result.stdout


def test_check_refuses_a_folder_without_content_files(tmp_path):
    (tmp_path / "notes.txt").write_text("not content")
    result = run("check", str(tmp_path))
    assert result.exit_code == 1
    assert f"{tmp_path}: no .yaml or .yml files in this folder" in result.stderr
    assert "no problems" not in result.output

"""`rubdown voices` lists the voices here; `rubdown cues` writes a plan's cue audio."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from rubdown.cli.options import catalogue_for, plan_for, plan_options, receiver_options

F = TypeVar("F", bound=Callable[..., Any])


VOICE_OPTION = click.option(
    "--voice",
    default="auto",
    show_default=True,
    help="Speech engine[:voice] (see `rubdown voices`): auto (Piper, else espeak-ng), "
    "piper, piper:joe, espeak, espeak:en-gb, none.",
)
RATE_OPTION = click.option(
    "--rate",
    "rate_wpm",
    type=click.IntRange(80, 300),
    default=150,
    show_default=True,
    help="Speaking rate in words a minute.",
)
LESS_OPTION = click.option(
    "--less-talk",
    is_flag=True,
    help="Explain each technique once; later steps only name the area and the count.",
)


def voice_options(func: F) -> F:
    """Add --voice, --rate and --less-talk (shared by guide and cues)."""
    return VOICE_OPTION(RATE_OPTION(LESS_OPTION(func)))


def mix_options(func: F) -> F:
    """Add --volume, --balance and --background (the terminal guide's mix)."""
    unit = click.FloatRange(0.0, 1.0)
    options = [
        click.option(
            "--volume", type=unit, default=0.8, show_default=True, help="Master volume, 0 to 1."
        ),
        click.option(
            "--balance",
            type=unit,
            default=0.5,
            show_default=True,
            help="Voice against ticks: 0 ticks only, 0.5 both, 1 voice only.",
        ),
        click.option(
            "--background",
            type=click.Choice(["off", "noise", "drone"]),
            default="off",
            show_default=True,
            help="A soft generated sound under the session that ducks under every cue.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def mix_settings(volume: float, balance: float, background: str) -> Any:
    """The MixSettings for the options given."""
    from rubdown.voice.mix import MixSettings

    return MixSettings(volume=volume, balance=balance, background=background)


def check_voice(voice: str) -> str:
    """The --voice value, or a usage error naming the choices."""
    from rubdown.voice.engines import parse_voice

    try:
        parse_voice(voice)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--voice") from None
    return voice


@click.command("voices")
def voices_command() -> None:
    """List the speech engines and voices, and which ones this machine can use."""
    from rubdown.voice.engines import choose_engine, list_voices

    default, note = choose_engine("auto")
    for v in list_voices():
        mark = "*" if (v.engine, v.voice) == (default.name, default.voice) else " "
        state = "installed" if v.available else "not installed"
        licence = f", licence {v.licence}" if v.licence else ""
        click.echo(f"{mark} {v.spec:<16} {v.language:<6} {state:<13} {v.note}{licence}")
    click.echo("* = what --voice auto uses here.")
    if note:
        click.echo(note)


@click.command("cues")
@plan_options
@receiver_options
@voice_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the cue audio and manifest.json.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mp3", "wav"]),
    default="mp3",
    show_default=True,
    help="Audio format: mp3 (what phones get) or wav.",
)
def cues_command(
    library: tuple[Path, ...],
    receiver: str | None,
    db_url: str | None,
    voice: str,
    rate_wpm: int,
    less_talk: bool,
    out: Path,
    fmt: str,
    **options: Any,
) -> None:
    """Write a plan's spoken cues and a manifest.json (at_s, slot_s, text, file, seconds)."""
    from rubdown.voice.prepare import VoiceSettings, open_cache, write_cues

    plan = plan_for(catalogue_for(library), receiver, db_url, options)
    cache, note = open_cache(VoiceSettings(check_voice(voice), rate_wpm, fmt, less_talk))
    if note:
        click.echo(note, err=True)
    if not cache.engine_available():
        raise click.ClickException("no speech engine can run here, so there is no audio to write")
    try:
        report = write_cues(plan, cache, out, less_talk, on_ready=_progress)
    except OSError as exc:
        raise click.ClickException(f"cannot write cues to {out}: {exc.strerror or exc}") from None
    click.echo(
        f"\n{report.cues} cues, {report.bytes} bytes, {report.speech_s:.1f} s of speech, "
        f"{report.synth_s:.2f} s of synthesis ({report.made} newly made) "
        f"with {cache.engine.name} {cache.engine.voice} as {cache.format.name} into {out}"
    )


def _progress(ready: int, total: int) -> None:
    """One line that counts up as cues are made."""
    click.echo(f"\rvoice: {ready}/{total} cues ready", nl=False, err=True)


def register(group: click.Group) -> None:
    """Add this module's commands to the CLI."""
    group.add_command(voices_command)
    group.add_command(cues_command)

"""`rubdown hear FILE.wav`: the voice-command recogniser over a recording."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("hear")
@click.argument("recording", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print [{at_s, command, confidence}].")
@click.option("--wake", is_flag=True, help='Only act on commands after "rubdown" (the wake word).')
def hear_command(recording: Path, as_json: bool, wake: bool) -> None:
    """Print every voice command rubdown would act on in a WAV recording.

    Commands: lighter, firmer, more here, skip, go back, pause, go on, stop, and at a
    check-in "that's good" or "perfect". Recognition is offline; nothing is stored.
    """
    from rubdown.voice.audio_in import RecordingError, read_recording
    from rubdown.voice.listen import ListenError, hear_samples

    try:
        heard = hear_samples(read_recording(recording), wake=wake)
    except (RecordingError, ListenError) as err:
        raise click.ClickException(str(err)) from None
    if as_json:
        click.echo(json.dumps([h.as_json() for h in heard]))
        return
    if not heard:
        click.echo("No commands heard.")
    for h in heard:
        click.echo(f"{h.at_s:8.2f} s  {h.command:8s} ({h.phrase!r}, confidence {h.confidence:.2f})")


def register(group: click.Group) -> None:
    """Add this module's commands to the CLI."""
    group.add_command(hear_command)

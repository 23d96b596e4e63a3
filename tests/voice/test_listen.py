"""The voice-command recogniser and `rubdown hear`, on recordings the tests make with espeak-ng."""

from __future__ import annotations

import json
import math
import random
import subprocess
import wave
from array import array
from pathlib import Path

import pytest
from click.testing import CliRunner

from rubdown.cli.main import cli
from rubdown.voice.commands import COMMANDS
from rubdown.voice.listen import Listener, Playback, Tuning, hear_samples

RATE = 16000
GAP_S = 1.5
ORDINARY = (
    "Could you pass me the blanket, please?",
    "I was thinking about dinner with your parents on Sunday.",
    "Yes.",
    "The weather has been lovely all week.",
    "Mm, okay.",
    "We should stop by the bakery on the way home tomorrow.",
    "Did you hear the news about the new bridge?",
    "Thank you.",
)


def spoken(text: str, tmp: Path, voice: str = "en-us") -> array[int]:
    """`text` said by an espeak-ng voice, as 16 kHz samples."""
    raw, out = tmp / "raw.wav", tmp / "say.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(out)], check=True)
    with wave.open(str(out), "rb") as wav:
        return array("h", wav.readframes(wav.getnframes()))


def recording(
    texts: list[str], tmp: Path, seed: int = 7, gap_s: float = GAP_S, voice: str = "en-us"
) -> tuple[Path, list[float]]:
    """A WAV of the texts with quiet room noise between them; where each one ends."""
    rng = random.Random(seed)
    samples, ends = array("h"), []
    for text in texts:
        samples.extend(array("h", [0] * round(gap_s * RATE)))
        speech = spoken(text, tmp, voice)
        samples.extend(speech)
        ends.append(len(samples) / RATE)
    samples.extend(array("h", [0] * RATE))
    noisy = array("h", (max(-32768, min(32767, s + round(rng.gauss(0, 60)))) for s in samples))
    path = tmp / "recording.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(noisy.tobytes())
    return path, ends


def hear_json(path: Path, *extra: str) -> list[dict[str, object]]:
    """What `rubdown hear --json` prints for the recording."""
    result = CliRunner().invoke(cli, ["hear", str(path), "--json", *extra])
    assert result.exit_code == 0, result.output
    return list(json.loads(result.output))


def test_hear_finds_each_command_at_its_time(tmp_path: Path) -> None:
    said = [(c.name, p) for c in COMMANDS for p in c.phrases]
    path, ends = recording([p for _, p in said], tmp_path)
    heard = hear_json(path)
    assert [h["command"] for h in heard] == [name for name, _ in said]
    for h, end in zip(heard, ends, strict=True):
        assert abs(float(h["at_s"]) - end) < 0.5  # type: ignore[arg-type]
        assert 0.0 < float(h["confidence"]) <= 1.0  # type: ignore[arg-type]


def test_hear_acts_on_nothing_in_ordinary_speech(tmp_path: Path) -> None:
    path, _ = recording(list(ORDINARY), tmp_path)
    assert hear_json(path) == []


def test_wake_word_mode_ignores_bare_commands_and_takes_prefixed_ones(tmp_path: Path) -> None:
    path, _ = recording(["lighter", "rubdown, firmer", "stop"], tmp_path)
    assert [h["command"] for h in hear_json(path, "--wake")] == ["firmer"]


def test_own_cue_audio_is_never_taken_for_a_command(tmp_path: Path) -> None:
    samples = spoken("Slow down and go back to the lighter strokes. Stop there.", tmp_path)
    padded = array("h", [0] * RATE) + samples + array("h", [0] * RATE)
    cue = Playback(1.0, 1.0 + len(samples) / RATE, "the cue")
    heard: list[object] = []
    listener = Listener(heard.append, playing=lambda a, b: cue if a < cue.end_s else None)
    listener.feed(padded)
    listener.close()
    assert heard == []


def test_digital_silence_and_a_pure_tone_are_not_commands() -> None:
    tone = array("h", (round(8000 * math.sin(2 * math.pi * 440 * i / RATE)) for i in range(RATE)))
    assert hear_samples(array("h", [0] * RATE * 2) + tone + array("h", [0] * RATE)) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"RIFF\x00\x00\x00\x00WAVEjunk", "not a readable WAV file"),
        (b"hello, I am not audio", "not a readable WAV file"),
        (b"", "not a readable WAV file"),
    ],
)
def test_hear_refuses_a_bad_file_plainly(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "bad.wav"
    if content is not None:
        path.write_bytes(content)
    result = CliRunner().invoke(cli, ["hear", str(path)])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert "()" not in result.output  # no empty reason in brackets
    assert str(path) in result.output


def test_hear_refuses_8_bit_audio(tmp_path: Path) -> None:
    path = tmp_path / "eight.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(8000)
        out.writeframes(bytes(800))
    result = CliRunner().invoke(cli, ["hear", str(path)])
    assert result.exit_code != 0
    assert "8-bit audio" in result.output


def test_hear_converts_other_rates_and_channels(tmp_path: Path) -> None:
    path, _ = recording(["stop"], tmp_path)
    stereo = tmp_path / "stereo.wav"
    subprocess.run(["sox", str(path), "-r", "44100", "-c", "2", str(stereo)], check=True)
    assert [h["command"] for h in hear_json(stereo)] == ["stop"]


def test_a_british_perfect_is_heard_through_the_dictionarys_added_pronunciation(
    tmp_path: Path,
) -> None:
    # Without P AH F IH K T the grammar took en-gb's non-rhotic "perfect" for "go back".
    path, ends = recording(["perfect"], tmp_path, voice="en-gb")
    heard = hear_json(path)
    assert [h["phrase"] for h in heard] == ["perfect"]
    assert abs(float(str(heard[0]["at_s"])) - ends[0]) < 0.5


def test_a_sentence_the_grammar_takes_is_rejected_by_the_language_model_pass(
    tmp_path: Path,
) -> None:
    # The grammar and the phone-loop ratio take en-gb's "It's fine." for "stop"; the general
    # language model hears three words in it, so it is talk.
    quiet = array("h", [0] * RATE)
    samples = quiet + spoken("It's fine.", tmp_path, "en-gb") + quiet
    grammar_alone = hear_samples(samples, tuning=Tuning(verify=False, max_talk_words=1000))
    assert [h.command for h in grammar_alone] == ["stop"]
    assert hear_samples(samples, tuning=Tuning(verify=False)) == []
    assert hear_samples(samples) == []  # nor does the verifier take it


def test_the_prompt_names_each_command_once_by_its_first_phrase() -> None:
    from rubdown.voice.prompt import listen_prompt

    prompt = listen_prompt(False)
    for command in COMMANDS:
        first, *others = command.phrases
        assert (first in prompt) is not command.at_checkin_only, first
        assert not [p for p in others if p in prompt], command.name

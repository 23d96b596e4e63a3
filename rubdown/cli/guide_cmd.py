"""`rubdown guide`: be talked through a session, hands-free, each event saved as it happens."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rubdown.cli.options import catalogue_for, plan_options, plan_with_profile
from rubdown.cli.voice_cmds import check_voice, mix_options, mix_settings, voice_options

if TYPE_CHECKING:
    from rubdown.cli.guide_runner import Display, Keys, Sound
    from rubdown.core.models import Catalogue, Plan
    from rubdown.session.engine import RunningSession
    from rubdown.store.db import Store
    from rubdown.store.records import EventRecord


def echo(text: str) -> None:
    """A plain line, flushed at once (click.echo flushes), with no control sequences from data."""
    from rubdown.core.names import printable

    click.echo(printable(text))


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP (a closed terminal) stop the session like Ctrl-C: as interrupted."""

    def interrupt(_signum: int, _frame: Any) -> None:
        """Unwind like Ctrl-C."""
        raise KeyboardInterrupt

    names = ("SIGTERM", "SIGHUP")
    wanted = [getattr(signal, n) for n in names if hasattr(signal, n)]
    saved = {sig: signal.signal(sig, interrupt) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def new_plan(
    store: Store, cat: Catalogue, giver: str | None, receiver: str | None, options: dict[str, Any]
) -> Plan:
    """Plan for the receiver's stored and learned profile plus today's options."""
    from rubdown.session.engine import check_people

    check_people(store, giver, receiver)  # fail before planning, naming who is known
    return plan_with_profile(cat, store, receiver, options)


def introduce(plan: Plan, giver: str | None, receiver: str | None, at_s: float) -> None:
    """Say what is about to happen and why the plan looks as it does."""
    from rubdown.cli.guide_runner import clock

    who = f", {giver or 'you'} for {receiver}" if receiver else ""
    start = f", from {clock(at_s)}" if at_s else ""
    echo(f"{plan.minutes}-minute session, {plan.position}{who}{start}.")
    for note in plan.notes:
        echo(f"  • {note}")
    for warning in plan.warnings:
        echo(f"  ! Safety: {warning}")


def surface(
    stack: ExitStack, interactive: bool, cat: Catalogue, speed: float
) -> tuple[Display, Keys | None]:
    """The full-screen view and keys on a terminal, else plain lines and no keys."""
    from rubdown.cli.guide_view import PlainDisplay

    if not interactive:
        return PlainDisplay(echo), None
    from rubdown.cli.guide_view import ScreenView, TerminalKeys

    keys = stack.enter_context(TerminalKeys())
    return stack.enter_context(ScreenView(cat, speed)), keys


def play(
    session: RunningSession,
    sound: Sound,
    first: EventRecord,
    at_s: float,
    settings: dict[str, Any],
) -> tuple[str, Plan]:
    """Run the session; Ctrl-C or a signal leaves it interrupted, ready for --resume."""
    from rubdown.cli.guide_runner import GuideRunner, clock

    plan = session.plan
    runner: GuideRunner | None = None
    try:
        with ExitStack() as stack, signals_interrupt():
            display, keys = surface(stack, settings["interactive"], session.cat, settings["speed"])
            if settings.get("heard") is not None:
                from rubdown.cli.guide_listen import VoiceKeys

                keys = VoiceKeys(keys, settings["heard"])
            runner = GuideRunner(
                session,
                display,
                sound=sound,
                keys=keys,
                speed=settings["speed"],
                ticks=settings["ticks"],
                save_progress=True,
            )
            display.event(first, f"{plan.minutes} minutes, {plan.position}")
            return runner.run(at_s), runner.plan
    except (KeyboardInterrupt, BrokenPipeError) as stop:
        where = runner.sched.position_s if runner is not None else at_s
        session.finish("interrupted", where)
        if isinstance(stop, BrokenPipeError):
            raise  # nobody reads the output any more, so there is no one to tell
        echo(f"Interrupted at {clock(where)}. `rubdown guide --resume` goes on from there.")
        return "interrupted", runner.plan if runner is not None else plan


def feedback(store: Store, session_id: int, plan: Plan) -> None:
    """Ask the receiver how it was and store it (terminal only)."""
    from rubdown.cli.guide_view import ask_feedback
    from rubdown.store.repos import FeedbackRepo, SessionsRepo

    events = SessionsRepo(store).events(session_id)
    # Only steps the receiver actually felt can be a favourite (a quit leaves some out).
    started = {e.technique for e in events if e.kind == "segment-started" and e.technique}
    answers = ask_feedback(plan, started)
    if answers is not None:
        overall, verdict, favourite = answers
        FeedbackRepo(store).save(session_id, overall, verdict, favourite)
        echo("Thank you: the next plan will take this into account.")


def start(
    store: Store,
    cat: Catalogue,
    plan: Plan,
    resume_id: int | None,
    people: tuple[str | None, str | None],
) -> tuple[RunningSession, EventRecord]:
    """Start (or resume) the session, owned by this process; the session and its opening event."""
    from rubdown.session.engine import RunningSession
    from rubdown.session.ownership import owner_id

    owner = owner_id("guide")
    if resume_id is None:
        session = RunningSession.start(store, cat, plan, people, owner=owner)
    else:
        session = RunningSession.load(store, cat, resume_id)
        session.resume(owner)
    return session, session.repo.events(session.session_id)[-1]


def nothing_to_resume(store: Store) -> str:
    """Why --resume has nothing to go on with, naming older interrupted sessions if any."""
    from rubdown.store.repos import SessionsRepo

    sessions = SessionsRepo(store)
    older = sessions.interrupted(limit=5)
    latest = sessions.history(limit=1)
    if not older or not latest:
        return "there is no interrupted session to resume"
    when = ", ".join(f"{r.id} ({r.started_at.astimezone():%Y-%m-%d %H:%M})" for r in older)
    return (
        f"there is no interrupted session to resume: only the most recent session can be "
        f"resumed, and it (session {latest[0].id}) is {latest[0].status}; "
        f"interrupted earlier: {when}"
    )


def pick_plan(
    store: Store,
    cat: Catalogue,
    people: tuple[str | None, str | None],
    resume: bool,
    options: dict[str, Any],
) -> tuple[Plan, int | None, float, tuple[str | None, str | None]]:
    """A new plan, or the interrupted session's: (plan, session to resume, from when, people)."""
    from rubdown.cli.guide_session import resume_point
    from rubdown.core.planjson import plan_from_json
    from rubdown.store.errors import StoreError

    if not resume:
        return new_plan(store, cat, people[0], people[1], options), None, 0.0, people
    point = resume_point(store)
    if point is None:
        raise StoreError(nothing_to_resume(store))
    who = (point.session.giver, point.session.receiver)
    return plan_from_json(point.plan_json), point.session.id, point.position_s, who


def ready_plan(
    store: Store,
    cat: Catalogue,
    people: tuple[str | None, str | None],
    resume: bool,
    options: dict[str, Any],
    settings: dict[str, Any],
) -> tuple[Plan, int | None, float, tuple[str | None, str | None]]:
    """The plan to play, screened and introduced: pick_plan's (plan, resumed, from when, who)."""
    from rubdown.cli.screen_cmd import screen_before_session

    if settings["voice"] != "none":
        from rubdown.voice.prepare import warm_voice

        warm_voice(settings["voice"])  # loads while the plan is made and the screen asked
    plan, resume_id, at_s, (giver, receiver) = pick_plan(store, cat, people, resume, options)
    if resume_id is None:
        screen_before_session(store, receiver, settings["interactive"])
    if resume and settings["ignored"]:
        echo(
            f"Note: {', '.join(settings['ignored'])} ignored: resuming goes on with the "
            "interrupted session's own plan and people."
        )
    introduce(plan, giver, receiver, at_s)
    return plan, resume_id, at_s, (giver, receiver)


def play_owned(
    session: RunningSession,
    sound_and_mic: tuple[Sound, Any],
    first: EventRecord,
    at_s: float,
    settings: dict[str, Any],
) -> tuple[str, Plan]:
    """Play the session under this guide's heartbeat; the sound and microphone close after."""
    from rubdown.session.ownership import Heartbeat

    sound, mic = sound_and_mic
    # The heartbeat says this guide still plays the session, paused or not.
    heartbeat = Heartbeat(session.heartbeat).start()
    try:
        return play(session, sound, first, at_s, settings)
    finally:
        heartbeat.stop()
        getattr(sound, "close", lambda: None)()
        if mic is not None:
            mic.stop()


def guide(
    store: Store,
    cat: Catalogue,
    people: tuple[str | None, str | None],
    resume: bool,
    options: dict[str, Any],
    settings: dict[str, Any],
) -> None:
    """Plan or pick up a session, prepare its sound, play it, then ask for feedback."""
    from rubdown.cli.guide_sound import make_sound

    plan, resume_id, at_s, who = ready_plan(store, cat, people, resume, options, settings)
    sound = make_sound(settings, plan, echo)
    mic = start_listening(sound, settings) if settings["listen"] else None
    if settings["interactive"]:
        click.pause("Press any key to start…")
    session, first = start(store, cat, plan, resume_id, who)
    session_id = session.session_id
    outcome, final = play_owned(session, (sound, mic), first, at_s, settings)
    if outcome != "interrupted" and settings["interactive"]:
        feedback(store, session_id, final)
    done = session.repo.get(session_id)
    echo(
        f"Session {session_id} {done.status}: {done.done_minutes:g} of "
        f"{done.planned_minutes:g} minutes."
    )


def start_listening(sound: Sound, settings: dict[str, Any]) -> Any:
    """Open the microphone (ClickException saying why and how when there is none)."""
    from rubdown.cli.guide_listen import open_microphone, playback_of, reference_of
    from rubdown.voice.listen import ListenError

    playback = playback_of(sound)  # the recogniser ignores what rubdown itself plays
    reference = reference_of(sound)  # and cancels its echo, sample by sample
    try:
        mic, settings["heard"] = open_microphone(settings["wake"], playback, reference)
    except ListenError as err:
        raise click.ClickException(f"cannot listen: {err}") from None
    from rubdown.voice.prompt import listen_prompt

    echo(
        f"Listening: {listen_prompt(settings['wake'])} "
        "Audio stays in memory on this computer; nothing is recorded or sent."
    )
    return mic


# Options that shape a new plan; --resume goes on with the stored one instead.
PLAN_SHAPING = (
    "minutes",
    "position",
    "routine",
    "focus",
    "avoid",
    "pressure",
    "conditions",
    "vary",
    "giver",
    "receiver",
)


def given_plan_options() -> list[str]:
    """The plan-shaping options given on the command line (or by environment), as typed."""
    from click.core import ParameterSource

    ctx = click.get_current_context()
    given = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
    return [
        param.opts[0]
        for param in ctx.command.params
        if param.name in PLAN_SHAPING and ctx.get_parameter_source(param.name) in given
    ]


def quiet_stdout() -> None:
    """Point standard output at the null device: the reader went away (`guide | head`)."""
    import os

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test runner's capture): nothing will flush into a dead pipe


@click.command("guide")
@plan_options
@click.option("--giver", default=None, help="Who gives (someone added with `people add`).")
@click.option(
    "--receiver",
    "--for",
    "receiver",
    default=None,
    help="Who receives: the plan uses their stored and learned preferences.",
)
@voice_options
@mix_options
@click.option("--no-ticks", is_flag=True, help="No rhythm ticks.")
@click.option(
    "--listen",
    is_flag=True,
    help="Take spoken commands from the microphone (offline; $RUBDOWN_CAPTURE_DEVICE).",
)
@click.option("--wake", is_flag=True, help='With --listen: only after "rubdown" is said.')
@click.option(
    "--speed",
    type=click.FloatRange(min=0.1, max=1000.0),
    default=1.0,
    show_default=True,
    help="Run the clock X times faster (demos and tests).",
)
@click.option("--resume", is_flag=True, help="Continue the last interrupted session.")
@click.option(
    "--db",
    "db_url",
    default=None,
    help="Database URL (default: SQLite in the data folder; $RUBDOWN_DATABASE_URL).",
)
def guide_command(
    library: tuple[Path, ...],
    giver: str | None,
    receiver: str | None,
    resume: bool,
    db_url: str | None,
    **options: Any,
) -> None:
    """Be talked through a session: voice, rhythm ticks, live controls, saved as it happens.

    Keys: space pause/resume (any other key pauses too), n next, b back, l lighter,
    f firmer, m more time here, s skip, q quit.
    """
    from rubdown.session.ownership import settle_stale
    from rubdown.store.db import open_store

    if options["listen"]:
        from rubdown.extras import require

        require("listen")  # before the plan is shown: without the recogniser, say so first
    cat = catalogue_for(library)
    settings = guide_settings(options)
    with open_store(db_url) as store:
        settle_stale(store)  # only sessions whose owner stopped: a live web session is left be
        try:
            guide(store, cat, (giver, receiver), resume, options, settings)
        except BrokenPipeError:
            quiet_stdout()
            raise SystemExit(1) from None


def guide_settings(options: dict[str, Any]) -> dict[str, Any]:
    """The guide's own settings, taken out of the options: what is left are plan options."""
    voice = check_voice(options.pop("voice"))
    mix = mix_settings(options.pop("volume"), options.pop("balance"), options.pop("background"))
    return {
        "voice": voice,
        "rate_wpm": options.pop("rate_wpm"),
        "less": options.pop("less_talk"),
        "mix": mix,
        "ticks": not options.pop("no_ticks"),
        "listen": options.pop("listen"),
        "wake": options.pop("wake"),
        "speed": options.pop("speed"),
        "interactive": sys.stdin.isatty() and sys.stdout.isatty(),
        "ignored": given_plan_options(),
    }


def register(group: click.Group) -> None:
    """Add this module's commands to the CLI."""
    group.add_command(guide_command)

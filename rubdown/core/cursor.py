"""Where a layout stands as it goes: the clock, the hands, what was said and when."""

from __future__ import annotations

from dataclasses import dataclass

from rubdown.core.models import Region

JUST_SAID_S = 90.0  # a caution said this recently is not said again at a turn
# A check-in while the hands stay on a warning's areas says it again once this long has passed
# since it was last said: on the back for ten minutes, "never lean onto the ribs" is not heard
# only once at the start.
REMIND_AFTER_S = 300.0


@dataclass
class Cursor:
    """Where the layout stands: clock, time since the last check-in and oil, last place."""

    t: float = 0.0
    since_checkin: float = 0.0
    since_oil: float = 0.0
    region: str | None = None
    # The area of the last region that takes oil: oil comes as the hands reach new skin.
    area: str | None = None
    position: str | None = None
    step_index: int = 0
    hands: str = "bare"  # "oily" once oiled; "wiped" for the hair or the face
    # Oil before the next region that takes it: the hands were wiped for the hair or the
    # face, or the receiver turned over to a side no oil has reached yet.
    oil_due: bool = False
    rising: tuple[str, ...] = ()  # what the regions already worked need before standing
    # For a live re-fit: step seconds already worked in this position, and whether its
    # halfway words (face down: turn the head) were said, so the rest still says them once.
    worked_s: float = 0.0
    halfway_said: bool = False
    side: str | None = None  # the side of the last step done (a re-fit may need a turn first)
    # A re-fit's first step is the one under way (given more time): its lead was said, so
    # nothing is said again before it, and no check-in cuts in ahead of its first part.
    under_way: bool = False
    # ... and its first part is the rest of a step begun before the change: it carries on.
    continues: bool = False
    # Words a re-fit owes before its first step (the first words, skipped before they were out).
    owed: str = ""
    # For a re-fit: the cautions said in what is done, each with when its words ended.
    said_at: tuple[tuple[str, float], ...] = ()
    reminds: tuple[str, ...] = ()  # the warnings about where the hands are working

    def oiled(self) -> None:
        """The hands have just taken oil."""
        self.since_oil, self.hands, self.oil_due = 0.0, "oily", False

    def wipe_for(self, region: Region) -> None:
        """Oily hands are wiped for a region that takes none (the hair, the face)."""
        if region.dry_hands and self.hands != "bare":
            self.hands, self.oil_due = "wiped", True

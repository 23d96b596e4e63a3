"""Write rubdown/voice/fillers.txt: the commonest words of the wheel's general language model.

The recogniser's grammar offers them beside the commands as a reject class, so ordinary talk
("yeah", "okay", "I think so") has somewhere to go other than the nearest command. They are
ranked by their unigram probability in `en-us.lm.bin` (the pocketsphinx wheel's own model,
not the bench's sentences); the recogniser takes the first `Tuning.fillers` of them that do
not sound like a command. Run from the repository root: `.venv/bin/python -m bench.listen_fillers`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rubdown.voice.fillers import FILLERS_PATH

HEADER = (
    "# The commonest words of pocketsphinx's en-us.lm.bin, most probable first"
    " (bench/listen_fillers.py).\n"
)


def ranked_words(count: int) -> list[str]:
    """The `count` dictionary words the general language model finds most probable alone."""
    from pocketsphinx import Config, LogMath, NGramModel

    from rubdown.voice.listen import model_dir

    root = model_dir()
    model = NGramModel(Config(), LogMath(), f"{root}/en-us.lm.bin")
    with open(f"{root}/cmudict-en-us.dict", encoding="utf-8") as dictionary:
        words = {line.split()[0].split("(")[0] for line in dictionary if line.strip()}
    # Plain words only: no sentence marks, and no letters read out ("a.", "i.").
    plain = sorted(w for w in words if w.replace("'", "").isalpha())
    scored = sorted(((model.prob([w]), w) for w in plain), reverse=True)
    return [w for _, w in scored[:count]]


def main() -> None:
    """Write the list."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=FILLERS_PATH)
    args = parser.parse_args()
    args.out.write_text(HEADER + "\n".join(ranked_words(args.count)) + "\n", encoding="utf-8")
    print(f"wrote {args.count} words to {args.out}")


if __name__ == "__main__":
    main()

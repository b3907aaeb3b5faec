"""The clip catalogue, clip generation with espeak-ng, and override resolution.

A clip is one WAV file named ``<clip name>.wav``. Generated clips live in one
folder (made at setup by :func:`generate_clips`); a hall may drop its own
recording with the same name into an override folder and it wins.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from array import array
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from . import chime, pcm
from .lru import LruCache
from .sentence import CHIME, PAUSE, WORDS, Lang

#: espeak-ng voice per language. cmn-latn-pinyin reads "qing3" as pinyin with
#: tone 3; plain "cmn" would spell the tone digit out in English.
VOICES: Mapping[Lang, str] = MappingProxyType({"zh": "cmn-latn-pinyin", "en": "en"})

#: Words per minute and pitch (0-99): a little slower than espeak's 175 so a
#: number carries across a noisy hall.
DEFAULT_SPEED = 150
DEFAULT_PITCH = 50
ESPEAK = "espeak-ng"

_NAME_RE = re.compile(r"[A-Za-z0-9_]{1,40}")

Source = Literal["override", "generated"]


@dataclass(frozen=True)
class ClipSpec:
    """How to make one clip: ``voice``/``text`` for espeak-ng, or ``synth``."""

    name: str
    gloss: str
    text: str | None = None
    voice: str | None = None
    synth: Callable[[], array] | None = None


def _build_catalogue() -> Mapping[str, ClipSpec]:
    specs = [
        ClipSpec(CHIME, "ding-dong", synth=chime.chime),
        ClipSpec(PAUSE, "(silence)", synth=chime.pause),
        *(ClipSpec(w.name, w.gloss, text=w.text, voice=VOICES[w.lang]) for w in WORDS),
    ]
    return MappingProxyType({s.name: s for s in specs})


#: Every clip the sentences can use, in table order.
CATALOGUE: Mapping[str, ClipSpec] = _build_catalogue()


class EspeakError(RuntimeError):
    """espeak-ng is missing or failed for a clip."""


class MissingClipError(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"no clip {name!r}: run clip generation or add {name}.wav to overrides")
        self.name = name


def check_name(name: str) -> str:
    """Clip names become file names and URL segments: keep them to [A-Za-z0-9_]."""
    if not _NAME_RE.fullmatch(name):
        raise ValueError(f"bad clip name {name!r}")
    return name


# --- generation -----------------------------------------------------------------


def espeak_command(
    spec: ClipSpec,
    out: Path,
    *,
    executable: str = ESPEAK,
    speed: int = DEFAULT_SPEED,
    pitch: int = DEFAULT_PITCH,
) -> list[str]:
    if spec.text is None or spec.voice is None:
        raise ValueError(f"clip {spec.name!r} is not spoken")
    return [
        executable,
        "-v",
        spec.voice,
        "-s",
        str(speed),
        "-p",
        str(pitch),
        "-w",
        str(out),
        spec.text,
    ]


def generate_clips(
    folder: str | os.PathLike[str],
    names: Iterable[str] | None = None,
    *,
    overwrite: bool = False,
    executable: str = ESPEAK,
    speed: int = DEFAULT_SPEED,
    pitch: int = DEFAULT_PITCH,
    jobs: int = 2,
) -> list[str]:
    """Make every missing clip (or only ``names``) in ``folder``.

    Spoken clips are run through espeak-ng, then trimmed and normalised to the
    common format; chime and pause are synthesised. Existing files are kept
    unless ``overwrite``, so this is cheap to call at every start. Returns the
    names written. Blocking: call it via ``asyncio.to_thread`` from async code.
    """
    out_dir = Path(folder)
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = list(CATALOGUE) if names is None else list(dict.fromkeys(names))
    for name in wanted:
        if name not in CATALOGUE:
            raise ValueError(f"unknown clip {name!r}")
    todo = [n for n in wanted if overwrite or not (out_dir / f"{n}.wav").is_file()]

    def make(name: str) -> str:
        spec = CATALOGUE[name]
        if spec.synth is not None:
            samples = spec.synth()
        else:
            samples = pcm.trim_silence(
                _speak(spec, out_dir, executable=executable, speed=speed, pitch=pitch)
            )
        pcm.write_wav(out_dir / f"{name}.wav", samples)
        return name

    # espeak-ng is single-threaded and each call is short; a couple of
    # processes at once roughly halves setup time on the hub's 2 cores.
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(make, todo))


def _speak(spec: ClipSpec, out_dir: Path, *, executable: str, speed: int, pitch: int) -> array:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.name}.", suffix=".espeak.wav", dir=out_dir)
    os.close(fd)
    tmp = Path(tmp_name)
    cmd = espeak_command(spec, tmp, executable=executable, speed=speed, pitch=pitch)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False)
        if proc.returncode != 0:
            raise EspeakError(f"{executable} failed for {spec.name!r}: {proc.stderr.strip()}")
        return pcm.read_wav(tmp)
    except FileNotFoundError as exc:
        raise EspeakError(f"{executable} not found: install the espeak-ng package") from exc
    except subprocess.TimeoutExpired as exc:
        raise EspeakError(f"{executable} timed out for {spec.name!r}") from exc
    finally:
        tmp.unlink(missing_ok=True)


# --- resolution -----------------------------------------------------------------


@dataclass(frozen=True)
class ClipInfo:
    """What a board or an admin page needs to show about one clip."""

    name: str
    url: str
    source: Source | None  # None: missing

    def as_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "url": self.url, "source": self.source}


def clip_url(name: str, base_url: str = "/voice/clips") -> str:
    return f"{base_url.rstrip('/')}/{check_name(name)}.wav"


class ClipLibrary:
    """Resolves clip names to files, override folder first, and loads them
    normalised. Thread-safe; loaded clips are cached by (path, mtime, size) so
    a replaced override is picked up without a restart.
    """

    def __init__(
        self,
        generated_dir: str | os.PathLike[str],
        override_dir: str | os.PathLike[str] | None = None,
        *,
        cache_size: int = 256,
    ) -> None:
        self.generated_dir = Path(generated_dir)
        self.override_dir = Path(override_dir) if override_dir is not None else None
        self._cache: LruCache[array] = LruCache(cache_size)

    def _override(self, name: str) -> Path | None:
        if self.override_dir is None:
            return None
        exact = self.override_dir / f"{name}.wav"
        if exact.is_file():
            return exact
        # Halls copy files from Windows machines ("a.WAV"); match ignoring case.
        # No two catalogue names differ only by case, so this is unambiguous.
        try:
            entries = list(os.scandir(self.override_dir))
        except FileNotFoundError:
            return None
        wanted = f"{name}.wav".lower()
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.lower() == wanted and entry.is_file():
                return Path(entry.path)
        return None

    def resolve(self, name: str) -> tuple[Path, Source] | None:
        check_name(name)
        override = self._override(name)
        if override is not None:
            return override, "override"
        generated = self.generated_dir / f"{name}.wav"
        if generated.is_file():
            return generated, "generated"
        return None

    def path(self, name: str) -> Path:
        found = self.resolve(name)
        if found is None:
            raise MissingClipError(name)
        return found[0]

    def source(self, name: str) -> Source | None:
        found = self.resolve(name)
        return found[1] if found else None

    def stamp(self, name: str) -> tuple[str, str, int, int]:
        """Identity of the file a name resolves to now, for cache keys."""
        path = self.path(name)
        st = path.stat()
        return name, str(path), st.st_mtime_ns, st.st_size

    def load(self, name: str) -> array:
        """Normalised samples for ``name`` (16-bit mono at pcm.RATE), trimmed
        of leading/trailing silence unless it is a synthesised clip."""
        key = self.stamp(name)
        path = Path(key[1])
        trim = CATALOGUE.get(name, ClipSpec(name, "")).synth is None

        def make() -> array:
            samples = pcm.read_wav(path)
            return pcm.trim_silence(samples) if trim else samples

        return self._cache.get_or_make(key, make)

    def missing(self, names: Iterable[str] | None = None) -> list[str]:
        return [n for n in (CATALOGUE if names is None else names) if self.resolve(n) is None]

    def describe(self, names: Iterable[str], base_url: str = "/voice/clips") -> list[ClipInfo]:
        """One entry per name (duplicates kept, in order): the playlist a board
        would fetch one by one, with where each clip comes from."""
        return [ClipInfo(n, clip_url(n, base_url), self.source(n)) for n in names]

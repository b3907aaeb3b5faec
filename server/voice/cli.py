"""Command line for clip setup and trying announcements out.

    python -m server.voice generate var/voice/clips [--only qing hao] [--force]
    python -m server.voice list [--clips DIR --overrides DIR]
    python -m server.voice say A023 5 --clips DIR [--overrides DIR] [--english]
        [--repeat 2] [--recall] [--short] -o call.wav

The hub's own CLI calls :func:`main` with its arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .announce import expected_duration, render_call_wav
from .clips import CATALOGUE, DEFAULT_PITCH, DEFAULT_SPEED, ClipLibrary, EspeakError, generate_clips
from .sentence import CALL, CALL_SHORT, RECALL, build_call


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="voice", description="Offline call announcements")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("generate", help="make missing clips with espeak-ng")
    g.add_argument("folder", type=Path)
    g.add_argument("--only", nargs="+", metavar="NAME", help="only these clips")
    g.add_argument("--force", action="store_true", help="remake existing clips")
    g.add_argument("--speed", type=int, default=DEFAULT_SPEED, help="words per minute")
    g.add_argument("--pitch", type=int, default=DEFAULT_PITCH, help="0-99")

    ls = sub.add_parser("list", help="show the clip catalogue")
    ls.add_argument("--clips", type=Path, help="generated folder, to show each clip's source")
    ls.add_argument("--overrides", type=Path)

    s = sub.add_parser("say", help="render one call to a WAV file")
    s.add_argument("ticket")
    s.add_argument("window")
    s.add_argument("--clips", type=Path, required=True)
    s.add_argument("--overrides", type=Path)
    s.add_argument("--english", action="store_true")
    s.add_argument("--repeat", type=int, default=1)
    wording = s.add_mutually_exclusive_group()
    wording.add_argument("--recall", action="store_true")
    wording.add_argument("--short", action="store_true", help="without 办理")
    s.add_argument("-o", "--output", type=Path, required=True)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "generate":
            made = generate_clips(
                args.folder, args.only, overwrite=args.force, speed=args.speed, pitch=args.pitch
            )
            print(f"generated {len(made)} clip(s) in {args.folder}")
        elif args.command == "list":
            lib = ClipLibrary(args.clips, args.overrides) if args.clips else None
            for spec in CATALOGUE.values():
                how = f"{spec.voice}: {spec.text}" if spec.voice else "synthesised"
                where = f"\t{lib.source(spec.name) or 'MISSING'}" if lib else ""
                print(f"{spec.name}\t{spec.gloss}\t{how}{where}")
        elif args.command == "say":
            phrasing = RECALL if args.recall else CALL_SHORT if args.short else CALL
            names = build_call(
                args.ticket,
                args.window,
                english=args.english,
                repeat=args.repeat,
                phrasing=phrasing,
            )
            lib = ClipLibrary(args.clips, args.overrides)
            args.output.write_bytes(render_call_wav(lib, names))
            print(f"{' '.join(names)}\n{expected_duration(lib, names):.2f} s -> {args.output}")
    except (ValueError, LookupError, EspeakError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0

"""Loaded by every Python process of a `.ci/faketime` run (PYTHONPATH).

libfaketime 0.9.10 with FAKETIME_DONT_FAKE_MONOTONIC=1 (the monotonic clock left real, so
timed waits, which the kernel measures, keep working) answers Python's time.sleep, an
absolute-deadline clock_nanosleep on that clock, with EINVAL. Here a sleep is a select()
with a relative timeout instead, which libfaketime passes through unchanged. Nothing else
is changed: the wall clock is what the run is about.
"""

import os
import select
import time

if os.environ.get("FAKETIME"):
    _monotonic = time.monotonic

    def _sleep(seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        end = _monotonic() + seconds
        while True:
            left = end - _monotonic()
            if left <= 0:
                return
            select.select([], [], [], left)

    time.sleep = _sleep

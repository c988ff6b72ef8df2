"""Computations run so that Ctrl-C stops them: the result or the exception comes back as from a plain call,
and an interrupt reaches the caller at once while the work is still running."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time

import pytest

from corroborate.services.interruptible import interruptible


def test_the_result_and_the_exception_come_back_as_from_a_plain_call() -> None:
    assert interruptible(sum, [1, 2, 3], start=4) == 10
    with pytest.raises(ZeroDivisionError):
        interruptible(lambda: 1 / 0)


def test_ctrl_c_reaches_the_caller_while_the_work_goes_on() -> None:
    script = textwrap.dedent("""
        import sys, time
        from corroborate.services.interruptible import interruptible
        def work():
            time.sleep(60)
            return "finished"
        print("started", flush=True)
        try:
            print(interruptible(work), flush=True)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(130)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "started"
    time.sleep(0.5)
    sent = time.monotonic()
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=30)
    assert child.returncode == 130 and out.strip() == "interrupted"
    assert time.monotonic() - sent < 5

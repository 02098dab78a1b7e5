"""The one worker pattern (digitpad.ui.workers): a generator off the GUI thread whose
yields, return value and exception arrive as signals, with cancel and pause checked
between yields."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from digitpad.ui.workers import Worker
from trainer.errors import DataError


def record(worker: Worker) -> list:
    """Everything the worker says, in order, with whether it came on the GUI thread."""
    said: list = []
    gui = QThread.currentThread()
    for name in ("yielded", "returned", "errored", "aborted", "paused", "resumed", "finished"):
        signal = getattr(worker, name)
        signal.connect(lambda *args, name=name: said.append(
            (name, *args, QThread.currentThread() is gui)))
    return said


def run(qtbot, worker: Worker) -> None:
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        worker.start()
    assert worker.wait(10) and worker.done


def test_yields_then_the_return_value_then_finished_all_on_the_gui_thread(qtbot) -> None:
    ran_on = []

    def job(n: int):
        ran_on.append(threading.current_thread())
        yield from range(n)
        return "done"

    worker = Worker(job, 3)
    said = record(worker)
    run(qtbot, worker)
    assert said == [("yielded", 0, True), ("yielded", 1, True), ("yielded", 2, True),
                    ("returned", "done", True), ("finished", True)]
    assert ran_on != [threading.main_thread()]  # the work itself ran off the GUI thread


def test_an_error_arrives_as_the_exception_itself(qtbot) -> None:
    def job():
        yield 1
        raise DataError("mnist.npz: not a readable .npz file")

    worker = Worker(job)
    said = record(worker)
    run(qtbot, worker)
    (name, error, _), finished = said[1], said[2]
    assert name == "errored" and isinstance(error, DataError)
    assert str(error) == "mnist.npz: not a readable .npz file" and finished[0] == "finished"
    assert not any(entry[0] == "returned" for entry in said)


def test_quit_with_a_stop_lets_the_job_wind_down_and_return(qtbot) -> None:
    stop = threading.Event()

    def job():
        i = 0
        while not stop.is_set():
            i += 1
            yield i
        return f"stopped after {i}"

    worker = Worker(job, stop=stop.set)
    worker.yielded.connect(lambda i: worker.quit() if i == 2 else None)
    said = record(worker)
    run(qtbot, worker)
    returned = [entry for entry in said if entry[0] == "returned"]
    assert len(returned) == 1 and returned[0][1].startswith("stopped after")


def test_quit_without_a_stop_drops_the_job_at_its_next_yield_and_closes_it(qtbot) -> None:
    closed = []

    def job():
        try:
            while True:
                yield 1
        finally:
            closed.append(threading.current_thread() is not threading.main_thread())

    worker = Worker(job)
    worker.yielded.connect(lambda _: worker.quit())
    said = record(worker)
    run(qtbot, worker)
    names = [entry[0] for entry in said]
    assert "aborted" in names and "returned" not in names and names[-1] == "finished"
    assert closed == [True]  # its finally ran, in the worker's thread


def test_pause_and_resume_before_the_next_yield_does_not_leave_it_paused(qtbot) -> None:
    """superqt's pair of request flags loses this resume, and its job stays paused for ever."""
    busy = threading.Event()

    def job():
        yield "first"
        busy.wait(10)  # the GUI clicks Pause and Continue meanwhile
        yield "second"
        return "done"

    worker = Worker(job)

    def pause_and_continue(item: str) -> None:
        if item == "first":
            worker.pause()
            worker.resume()
            busy.set()

    worker.yielded.connect(pause_and_continue)
    said = record(worker)
    run(qtbot, worker)
    assert ("returned", "done", True) in said


def test_quit_wakes_a_paused_job(qtbot) -> None:
    stop = threading.Event()

    def job():
        while not stop.is_set():
            yield
        return "stopped"

    worker = Worker(job, stop=stop.set)
    worker.yielded.connect(lambda _: worker.pause())
    worker.paused.connect(worker.quit)
    said = record(worker)
    run(qtbot, worker)
    assert ("returned", "stopped", True) in said


def test_wait_says_whether_the_job_has_ended(qtbot) -> None:
    gate = threading.Event()

    def job():
        yield
        gate.wait(10)

    worker = Worker(job)
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        worker.start()
        assert not worker.wait(0) and not worker.done
        gate.set()
        assert worker.wait(10) and worker.done


def test_a_finished_worker_lets_go_of_its_jobs_data(qtbot) -> None:
    import gc
    import weakref

    class Session:  # stands in for a training session: a model, its optimizer, the data
        def cancel(self) -> None:
            pass

        def steps(self):
            yield 1
            return 2

    session = Session()
    gone = weakref.ref(session)
    worker = Worker(Session.steps, session, stop=session.cancel)
    run(qtbot, worker)
    del session
    gc.collect()
    assert gone() is None  # the window may keep the worker; the data must not stay with it

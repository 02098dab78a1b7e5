"""Running a worker QObject in its own QThread (Qt's "Threads and QObjects").

A worker has a `run` slot that does the work and a `done` signal it emits when
it is over, whatever the outcome; the thread quits then. The caller keeps the
returned thread and the worker alive until the thread has finished.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QThread


def start_in_thread(worker: QObject, name: str = "worker") -> QThread:
    """Move `worker` to a new thread and start its `run`; the thread quits on `done`."""
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    # Direct: quit() is thread-safe, and the GUI thread may be blocked in wait() for it.
    worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    thread.start()
    return thread

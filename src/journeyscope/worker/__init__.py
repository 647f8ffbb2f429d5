"""Task backends that run the dispatcher: in-process (the embedded default) and, later, Celery."""

from journeyscope.worker.inprocess import InProcessWorker

__all__ = ["InProcessWorker"]

"""Task backends that run the dispatcher: in-process (the embedded default) and Celery.

The Celery backend lives in :mod:`journeyscope.worker.celery_app`, imported only where it is
used, because Celery is an optional extra.
"""

from journeyscope.worker.config import dispatch_config
from journeyscope.worker.inprocess import InProcessWorker

__all__ = ["InProcessWorker", "dispatch_config"]

"""Scheduling and delivery: jobs run once across processes, announcements sent once.

`start_background(app, deliverers)` starts both in the running event loop;
platform adapters hand their `bot.delivery.Deliverer` to it (or to
`Background.register`). See jobs.py (election, exactly-once runs) and
outbox.py (claiming, retries, backoff).
"""

from bot.scheduler.background import Background, start_background
from bot.scheduler.console import ConsoleDeliverer
from bot.scheduler.jobs import JobScheduler
from bot.scheduler.outbox import OutboxDeliverer, Outcome
from bot.scheduler.status import ScheduleStatusReader

__all__ = [
    "Background",
    "ConsoleDeliverer",
    "JobScheduler",
    "OutboxDeliverer",
    "Outcome",
    "ScheduleStatusReader",
    "start_background",
]

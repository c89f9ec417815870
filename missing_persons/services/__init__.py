"""Every write of the missing persons app (keyword-only, atomic; refusals name the field and the rule)."""

from missing_persons.services.episodes import (
    EpisodeInput,
    episode_close,
    episode_create,
    episode_regrade,
    episode_return,
    episode_update,
)
from missing_persons.services.importer import Preview, import_reports, preview, sample_csv
from missing_persons.services.interviews import interview_record, send_interview_reminders
from missing_persons.services.repeat import check_repeat, flag_dismiss, flag_refer, trigger

__all__ = [
    "EpisodeInput",
    "Preview",
    "check_repeat",
    "episode_close",
    "episode_create",
    "episode_regrade",
    "episode_return",
    "episode_update",
    "flag_dismiss",
    "flag_refer",
    "import_reports",
    "interview_record",
    "preview",
    "sample_csv",
    "send_interview_reminders",
    "trigger",
]

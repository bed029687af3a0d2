"""Demo data: the real 2020 figures, the portal's daily extract and the Johns Hopkins series."""

from pathlib import Path

from .indicators import indicators_sync
from .models import Indicator, Release
from .services import file_sha256, release_import

DATA = Path(__file__).resolve().parent / "data"
DEMO_FILES = [
    (DATA / "kz-daily.csv", "kz", "Daily last snapshots of coronavirus2020.kz, by region."),
    (DATA / "jhu-kazakhstan-daily.csv", "jhu", "National daily series, Johns Hopkins CSSE."),
]


def stats_demo_load() -> None:
    """Import each demo file once: a file already stored as a release is skipped."""
    indicators_sync(Indicator)
    for path, source, note in DEMO_FILES:
        if Release.objects.filter(file_sha256=file_sha256(path)).exists():
            continue
        release_import(path=path, source=source, note=note)

"""The generation context: parameters, the time frame and the population."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .population import Population
from .util import DAY, epoch_of


@dataclass
class Ctx:
    seed: int
    people: int  # requested community size at the origin day
    start: date  # day 0 of the activity window
    origin_days: int  # window length when first generated (fixes the growth curve)
    today_d: int  # today as a day offset from start (activity covers days 0..today_d)
    pop: Population

    @property
    def today(self) -> date:
        return self.start + timedelta(days=self.today_d)

    @property
    def start_epoch(self) -> int:
        return epoch_of(self.start)

    @property
    def cutoff_t(self) -> float:
        """End of today in days from start (exclusive): what the vendors show at `today`."""
        return float(self.today_d + 1)

    @property
    def cutoff_epoch(self) -> int:
        return self.start_epoch + (self.today_d + 1) * DAY

    def epoch(self, t_days: float) -> float:
        return self.start_epoch + t_days * DAY

"""Chronology events: agency gazetteer, dates, event extraction and missed opportunities."""

from sca.events.extract import EVENT_COLUMNS, extract_events
from sca.events.gazetteer import Gazetteer, default_gazetteer
from sca.events.missed import MISSED_COLUMNS, missed_opportunities

__all__ = ["EVENT_COLUMNS", "MISSED_COLUMNS", "Gazetteer", "default_gazetteer", "extract_events", "missed_opportunities"]

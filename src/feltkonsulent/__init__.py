"""Feltkonsulent: offline-first placements, buddies, sprogmakkere and aftercare for company consultants."""

__version__ = "0.1.0"

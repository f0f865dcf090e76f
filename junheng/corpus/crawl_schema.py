"""Crawl bookkeeping tables (pages, versions, raw HTML, runs) as their own migration set."""

from __future__ import annotations

from sqlite_utils import Migrations

migrations = Migrations("junheng-crawl")

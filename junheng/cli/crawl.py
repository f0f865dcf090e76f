"""Crawl commands: crawl, runs, schedule, reextract."""

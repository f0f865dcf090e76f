"""Benchmarks of junheng components against peer tools (run as scripts)."""

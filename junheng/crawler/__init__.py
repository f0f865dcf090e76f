"""Acquisition stage: local files and crawled pages → ``SourceDocument`` records."""

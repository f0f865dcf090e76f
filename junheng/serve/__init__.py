"""The browsable corpus: Datasette metadata (Chinese labels, canned queries) and a small plugin
that segments full-text queries the way junheng indexes text."""

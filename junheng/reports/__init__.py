"""Files researchers take away: Excel workbooks, charts and the self-contained HTML report."""

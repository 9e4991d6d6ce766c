"""Renderers: site pages, workbooks and calendars, all from a validated curriculum."""

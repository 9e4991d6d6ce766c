"""polku: compile training curricula and onboarding programmes from YAML."""

__version__ = "0.1.0"

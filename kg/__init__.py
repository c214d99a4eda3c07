"""newskg: knowledge graphs from Chinese news and policy pages."""

__version__ = "0.1.0"

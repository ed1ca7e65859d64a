"""akasse: running, monitoring and evaluating the Danish a-kasse trial."""

__version__ = "0.1.0"

"""FTZ Assistant: cited answers about China's Pilot Free Trade Zones."""

__version__ = "0.1.0"

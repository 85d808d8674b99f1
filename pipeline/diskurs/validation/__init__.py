"""Checking the tool's coding against people's: coding sheets, agreement."""

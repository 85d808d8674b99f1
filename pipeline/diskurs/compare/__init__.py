"""Comparisons over time and between groups: frame, theme and actor shares per period, per
column of the document sheet and per kind of actor, and the terms typical of each group."""

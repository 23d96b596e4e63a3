"""A session from start to end, for every edge: start, changes, journal, owner, plan in force.

The terminal guide, the web player and the receiver's remote (and voice commands) are thin
adapters over this package: the rules live here once.
"""

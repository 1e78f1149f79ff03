"""Victim locations the dispatcher can trust: BAG address points, and one resolver that
turns what was typed into a label, a point and its precision (never a guess)."""

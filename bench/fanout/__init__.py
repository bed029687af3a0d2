"""Outbox benchmark: an urgent alert's fan-out to a million subscribers, then the send pace."""

"""Intake throughput benchmark: the appeals API against a bare one-INSERT view, same server."""

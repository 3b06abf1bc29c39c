"""Benchmarks: scale data generator and runner (`make bench`)."""

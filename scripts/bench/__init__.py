"""scripts/bench_scale.py's measurements, a module for each thing measured; run through bench_scale.py."""

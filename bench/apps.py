from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark at MASH scale: a data generator and the figures of `make bench` (no models)."""

    name = "bench"
    verbose_name = "Benchmark"

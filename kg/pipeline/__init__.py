"""The build: inputs -> pages -> records -> entities -> graph files, as one loop (see :mod:`kg.pipeline.loop`)."""

from kg.pipeline.loop import BuildResult, build, collect
from kg.pipeline.options import BuildOptions

__all__ = ["BuildOptions", "BuildResult", "build", "collect"]

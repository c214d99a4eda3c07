"""The build: inputs -> pages -> records -> entities -> graph files, as one loop (see :mod:`kg.build.loop`)."""

from kg.build.loop import BuildResult, build, collect
from kg.build.options import BuildOptions

__all__ = ["BuildOptions", "BuildResult", "build", "collect"]

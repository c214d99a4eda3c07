"""The build: inputs -> pages -> records -> entities -> graph files, as one loop (see :mod:`kg.build.run`)."""

from kg.build.run import BuildOptions, build

__all__ = ["BuildOptions", "build"]

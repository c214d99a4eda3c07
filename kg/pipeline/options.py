"""What ``kg build`` is told: one frozen record, checked before any work starts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.errors import Errors, InputError
from kg.model import Meta
from kg.rdf.serialize import FORMATS

#: Above this many pages a build draws no view (graph.html needs the whole graph in memory);
#: every build writes its files page by page and validates them, whatever its size.
STREAM_PAGES = 200


@dataclass(frozen=True)
class BuildOptions:
    """Everything ``kg build`` is told.

    ``stream`` is True (never hold the whole graph: no view), False (always draw the view)
    or None: no view once there are more than ``stream_pages`` pages. ``jobs`` is the number of worker
    processes (None: every core; 1: in this process); ``cache`` the page cache folder
    (None: no cache).
    """

    paths: tuple[str, ...]
    output: Path = Path("output")
    input_format: str | None = None
    formats: tuple[str, ...] = ("ttl", "trig", "nq", "jsonld")
    base: str | None = None
    publisher: str = ""
    date: str = ""
    page: str = ""
    extractors: tuple[str, ...] | None = None
    html: bool = True
    store: bool = True
    validate: bool = True
    strict: bool = False
    jobs: int | None = 1
    engine: str = "local"
    scheduler: str | None = None
    cache: Path | None = None
    stream: bool | None = None
    stream_pages: int = STREAM_PAGES

    @property
    def writes(self) -> tuple[str, ...]:
        """The names a build with these options may write into its output folder.

        Examples
        --------
        >>> BuildOptions(("p.txt",), formats=("nq",), html=False).writes
        ('graph.nq', 'report.json', 'store', 'void.ttl')
        """
        names = {FORMATS[f][0] for f in self.formats if f in FORMATS} | {"report.json", "void.ttl"}
        if self.html:
            names.add("graph.html")
        if self.store:
            names.add("store")
        if self.cache is not None and Path(self.cache) == Path(self.output) / "cache":
            names.add("cache")
        return tuple(sorted(names))

    @property
    def meta(self) -> Meta:
        """What the options say of inputs that do not say it themselves."""
        return Meta(date=self.date, publisher=self.publisher, page=self.page)

    def check(self) -> None:
        """Raise before anything is read or written when the options cannot be built.

        Examples
        --------
        >>> BuildOptions(("/no/such/file",)).check()
        Traceback (most recent call last):
        ...
        kg.errors.InputError: [E001] /no/such/file: no such file or folder
        """
        for f in self.formats:
            if f not in FORMATS:
                raise InputError(Errors.E051.format(fmt=f, choices=", ".join(FORMATS)))
        if self.base is not None:
            import pyoxigraph as ox

            try:
                ox.NamedNode(f"{self.base}x")
                ok = self.base.endswith("/") and "#" not in self.base
            except ValueError:
                ok = False
            if not ok:
                raise InputError(Errors.E055.format(base=self.base))
        for p in self.paths:
            if not Path(p).exists():
                raise InputError(Errors.E001.format(path=p))

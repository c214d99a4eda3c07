"""Extraction: an article's context (text, sentences, tokens, shared analyses) -> typed records.

Every extractor lives in a module of this package and registers itself by name with what it
needs of the context and what it makes (:mod:`kg.extract.registry`); :func:`extract_page`
runs them over the articles of a page and returns an :class:`Extraction`.
"""

from kg.extract.context import TEXT_BLOCKS, ArticleContext, analyse
from kg.extract.extraction import Extraction, extract_article, extract_page
from kg.extract.registry import get, names, register

__all__ = ["TEXT_BLOCKS", "ArticleContext", "Extraction", "analyse", "extract_article", "extract_page", "get", "names", "register"]

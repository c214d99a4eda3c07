"""Segmentation: a page's text -> its articles (lines, units, bodies; titles and opinion boxes matched to bodies)."""

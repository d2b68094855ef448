"""Searches and articles as files: streamed exports in every format, and citations of one article."""

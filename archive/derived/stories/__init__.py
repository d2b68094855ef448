"""Stories: articles that share most of their text (one agency story and its reprints), kept exact.

Every write to an article's text, status or date queues it (a trigger: archive_story_dirty);
`catch_up` compares the queued articles with the archive and re-forms the stories they touch. The
importer calls it inside each batch's transaction, and every other write (the admin, the editors'
services, an undo) when its transaction commits.
"""

from archive.derived.stories.maintain import CHUNK, catch_up, find_all, story_count

__all__ = ["CHUNK", "catch_up", "find_all", "story_count"]

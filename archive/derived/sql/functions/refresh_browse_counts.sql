CREATE OR REPLACE FUNCTION public.refresh_browse_counts()
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
    -- Writers wait until this transaction ends; readers keep reading the previous counts meanwhile.
    LOCK TABLE archive_article, archive_article_places, archive_article_topics, archive_story_member IN SHARE MODE;
    DELETE FROM archive_browse_language;
    INSERT INTO archive_browse_language (key, language)
    SELECT row_number() OVER (ORDER BY language) * 4 + 3, language
    FROM (SELECT DISTINCT language FROM archive_article WHERE status = 'published') present;
    -- An article's agency: its own, else its story's (archive_story_member.agency), as searches read it.
    DELETE FROM archive_browse_agency;
    INSERT INTO archive_browse_agency (key, agency)
    SELECT ((SELECT count(*) FROM archive_browse_language) + row_number() OVER (ORDER BY agency)) * 4 + 3, agency
    FROM (
        SELECT DISTINCT coalesce(nullif(article.agency, ''), member.agency) AS agency
        FROM archive_article article LEFT JOIN archive_story_member member ON member.article_id = article.id
        WHERE article.status = 'published'
    ) present WHERE agency <> '';
    CREATE TEMP TABLE browse_keyed ON COMMIT DROP AS
    SELECT article.published_on AS day,
           ARRAY(SELECT p::bigint * 4 FROM unnest(article.rollup_place_ids) p)
           || ARRAY(SELECT t::bigint * 4 + 1 FROM unnest(article.rollup_topic_ids) t)
           || CASE WHEN article.source_id IS NULL THEN '{}'::bigint[] ELSE ARRAY[article.source_id * 4 + 2] END
           || language_key.key
           || CASE WHEN agency_key.key IS NULL THEN '{}'::bigint[] ELSE ARRAY[agency_key.key] END AS keys,
           member.story_id AS story
    FROM archive_article article
    JOIN archive_browse_language language_key ON language_key.language = article.language
    LEFT JOIN archive_story_member member ON member.article_id = article.id
    LEFT JOIN archive_browse_agency agency_key
           ON agency_key.agency = coalesce(nullif(article.agency, ''), member.agency)
    WHERE article.status = 'published';
    DELETE FROM archive_browse_day;
    INSERT INTO archive_browse_day (key, day, n)
    SELECT k, day, count(*) FROM browse_keyed, unnest(keys) k GROUP BY k, day;
    DELETE FROM archive_browse_pair;
    INSERT INTO archive_browse_pair (key, other, n)
    SELECT k, o, count(*) FROM browse_keyed, unnest(keys) k, unnest(keys) o GROUP BY k, o;
    DELETE FROM archive_browse_story_day;
    INSERT INTO archive_browse_story_day (key, day, n)
    SELECT key, day, sum(n) FROM (
        SELECT k AS key, day, -1 AS n FROM browse_keyed, unnest(keys || 0::bigint) k WHERE story IS NOT NULL
        UNION ALL
        SELECT k, min(day), 1 FROM browse_keyed, unnest(keys || 0::bigint) k WHERE story IS NOT NULL GROUP BY k, story
    ) counted GROUP BY key, day HAVING sum(n) <> 0;
    -- Under collapse=story a facet value, year or month counts each story once: its copies carrying the
    -- value there, grouped per story, give (1 - copies) each; only stories with two copies or more count,
    -- and their copies are grouped by the keys they carry first (a story's copies mostly carry the same).
    CREATE TEMP TABLE browse_copies ON COMMIT DROP AS
    SELECT day, keys, story FROM browse_keyed
    WHERE story IN (SELECT story FROM browse_keyed WHERE story IS NOT NULL GROUP BY story HAVING count(*) > 1);
    DELETE FROM archive_browse_story_pair;
    INSERT INTO archive_browse_story_pair (key, other, n)
    SELECT k, o, sum(1 - copies) FROM (
        SELECT k, o, sum(copies) AS copies FROM (
            SELECT story, keys, count(*) AS copies FROM browse_copies GROUP BY story, keys
        ) keysets, unnest(keys) k, unnest(keys) o
        GROUP BY k, o, story
    ) per_story GROUP BY k, o HAVING sum(1 - copies) <> 0;
    DELETE FROM archive_browse_story_period;
    INSERT INTO archive_browse_story_period (key, period, n)
    SELECT k, p, sum(1 - copies) FROM (
        SELECT k, p, sum(copies) AS copies FROM (
            SELECT story, keys, p, count(*) AS copies FROM (
                SELECT story, keys, p, count(*) OVER (PARTITION BY story, p) AS together
                FROM browse_copies, unnest(ARRAY[to_char(day, 'YYYY'), to_char(day, 'YYYY-MM')]) p
            ) periods WHERE together > 1
            GROUP BY story, keys, p
        ) keysets, unnest(keys || 0::bigint) k
        GROUP BY k, p, story
    ) per_story GROUP BY k, p HAVING sum(1 - copies) <> 0;
    DROP TABLE browse_copies;
    DROP TABLE browse_keyed;
    UPDATE archive_browse_state SET fresh = true;
END $function$;

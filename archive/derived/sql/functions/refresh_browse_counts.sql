CREATE OR REPLACE FUNCTION public.refresh_browse_counts()
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
    -- Writers wait until this transaction ends; readers keep reading the previous counts meanwhile.
    LOCK TABLE archive_article, archive_article_places, archive_article_topics IN SHARE MODE;
    DELETE FROM archive_browse_language;
    INSERT INTO archive_browse_language (key, language)
    SELECT row_number() OVER (ORDER BY language) * 4 + 3, language
    FROM (SELECT DISTINCT language FROM archive_article WHERE status = 'published') present;
    CREATE TEMP TABLE browse_keyed ON COMMIT DROP AS
    SELECT published_on AS day,
           ARRAY(SELECT p::bigint * 4 FROM unnest(rollup_place_ids) p)
           || ARRAY(SELECT t::bigint * 4 + 1 FROM unnest(rollup_topic_ids) t)
           || CASE WHEN source_id IS NULL THEN '{}'::bigint[] ELSE ARRAY[source_id * 4 + 2] END
           || language_key.key AS keys
    FROM archive_article JOIN archive_browse_language language_key USING (language)
    WHERE status = 'published';
    DELETE FROM archive_browse_day;
    INSERT INTO archive_browse_day (key, day, n)
    SELECT k, day, count(*) FROM browse_keyed, unnest(keys) k GROUP BY k, day;
    DELETE FROM archive_browse_pair;
    INSERT INTO archive_browse_pair (key, other, n)
    SELECT k, o, count(*) FROM browse_keyed, unnest(keys) k, unnest(keys) o GROUP BY k, o;
    DROP TABLE browse_keyed;
    UPDATE archive_browse_state SET fresh = true;
END $function$;

"""Tags found in an article's text: places from its dateline, headline and opening, matched against
the gazetteer (`places`), written as `found` links with their evidence (`tagging`)."""

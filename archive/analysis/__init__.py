"""Analysis over searches: coverage charts, comparisons, keyword in context, holdings (via search.run)."""

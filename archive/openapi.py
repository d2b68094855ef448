"""The API's OpenAPI 3.1 description, served at /api/openapi.json; tests validate real responses with it."""

from __future__ import annotations

from archive.search.params import FILTERS

PAGING_PARAMETERS = [
    ("page", "Numbered page, from 1."),
    ("cursor", "Opaque cursor from next/previous."),
    ("page_size", "Results per page, 1 to 100 (default 20)."),
]
FILTER_PARAMETERS = [(spec.name, spec.description) for spec in FILTERS] + PAGING_PARAMETERS
NULLABLE_STRING = {"type": ["string", "null"]}
SLUGS = {"type": "array", "items": {"type": "string"}}
FACET_VALUES = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["value", "label", "count"],
        "properties": {
            "value": {"type": "string"},
            "label": {"type": "string"},
            "count": {"type": "integer"},
        },
        "additionalProperties": False,
    },
}
RESULT = {
    "type": "object",
    "required": [
        "id",
        "url",
        "source_url",
        "headline",
        "published",
        "published_at",
        "source",
        "agency",
        "language",
        "byline",
        "places",
        "topics",
        "snippet",
    ],
    "properties": {
        "id": {"type": "integer"},
        "url": {"type": "string", "format": "uri"},
        "source_url": NULLABLE_STRING,
        "headline": {"type": "string"},
        "published": {"type": "string", "format": "date"},
        "published_at": NULLABLE_STRING,
        "source": NULLABLE_STRING,
        "agency": {"type": "string"},
        "language": {"type": "string", "description": "ISO 639-1 code; und when it could not be told."},
        "byline": {"type": "string"},
        "places": SLUGS,
        "topics": SLUGS,
        "snippet": {"type": "string", "description": "Escaped text; hits wrapped in <mark>."},
        "story": {
            "type": ["integer", "null"],
            "description": "collapse=story only: the story this result stands for (null: no copy).",
        },
        "other_copies": {
            "type": "integer",
            "description": "collapse=story only: how many other copies of its story match too.",
        },
    },
}
STORY_FIELDS = {
    "id": {"type": "integer"},
    "size": {"type": "integer", "description": "Every published copy of the story, this one included."},
    "first_published": {"type": "string", "format": "date"},
    "days_spanned": {"type": "integer", "description": "Days between its first and last copy."},
    "url": {"type": "string", "description": "The story's page (a path)."},
}
COPY = {
    "type": "object",
    "required": ["id", "url", "source", "published", "overlap"],
    "properties": {
        "id": {"type": "integer"},
        "url": {"type": "string", "format": "uri"},
        "source": NULLABLE_STRING,
        "published": {"type": "string", "format": "date"},
        "overlap": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "description": "The share of the shorter text's word 5-grams found in the other.",
        },
    },
    "additionalProperties": False,
}
ARTICLE = {
    **RESULT,
    "required": [*RESULT["required"], "summary", "body", "dateline", "rights", "tags", "story", "copies"],
    "properties": {
        **RESULT["properties"],
        "summary": {"type": "string"},
        "body": {"type": "string"},
        "dateline": {"type": "string"},
        "rights": {"type": "string"},
        "tags": {
            "type": "array",
            "description": "Every place and topic of the article, with how it came: given by an editor, "
            "from the record's metadata on import, or found in the text (then with the evidence).",
            "items": {
                "type": "object",
                "required": ["slug", "kind", "provenance"],
                "properties": {
                    "slug": {"type": "string"},
                    "kind": {"enum": ["place", "person", "organisation", "topic"]},
                    "provenance": {"enum": ["editor", "import", "found"]},
                    "evidence": {"description": "For a found tag: the matched words and where."},
                },
                "additionalProperties": False,
            },
        },
        "story": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": list(STORY_FIELDS),
                    "properties": STORY_FIELDS,
                    "additionalProperties": False,
                },
            ],
            "description": "Its story when another article is a copy of it (null otherwise).",
        },
        "copies": {"type": "array", "items": {"$ref": "#/components/schemas/Copy"}},
    },
    "additionalProperties": False,
}
STORY = {
    "type": "object",
    "required": [*STORY_FIELDS, "first", "copies"],
    "properties": {
        **STORY_FIELDS,
        "first": {
            "type": "object",
            "required": ["id", "url", "source", "published"],
            "properties": {k: v for k, v in COPY["properties"].items() if k != "overlap"},
        },
        "copies": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Copy"},
            "description": "Every other copy by date, its overlap measured with the first.",
        },
    },
    "additionalProperties": False,
}
SEARCH = {
    "type": "object",
    "required": ["count", "next", "previous", "results", "facets", "query"],
    "properties": {
        "count": {"type": "integer", "description": "The exact number of matches."},
        "next": NULLABLE_STRING,
        "previous": NULLABLE_STRING,
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}},
        "facets": {
            "type": "object",
            "required": ["year", "month", "place", "topic", "person", "organisation", "source", "language"],
            "additionalProperties": FACET_VALUES,
        },
        "query": {
            "type": "object",
            "required": ["understood", "dropped", "languages"],
            "properties": {
                "understood": {"type": "string"},
                "dropped": {"type": "array", "items": {"type": "string"}},
                "languages": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "The languages searched: the query is compiled in each (ISO codes).",
                },
            },
        },
    },
    "additionalProperties": False,
}
ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}


def _json(schema_name: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}},
    }


def document(*, server: str) -> dict:
    """The whole OpenAPI document."""
    parameters = [
        {"name": name, "in": "query", "required": False, "description": text, "schema": {"type": "string"}}
        for name, text in FILTER_PARAMETERS
    ]
    return {
        "openapi": "3.1.0",
        "info": {"title": "News archive API", "version": "1", "description": "Read-only; no key needed."},
        "servers": [{"url": server}],
        "paths": {
            "/api/search/": {
                "get": {
                    "summary": "Search and filter published articles",
                    "parameters": parameters,
                    "responses": {
                        "200": _json("Search", "A page of matches"),
                        "400": _json("Error", "Invalid parameter"),
                    },
                }
            },
            "/api/articles/{id}/": {
                "get": {
                    "summary": "One published article in full",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                    ],
                    "responses": {
                        "200": _json("Article", "The article"),
                        "404": _json("Error", "No such article"),
                    },
                }
            },
            "/api/stories/{id}/": {
                "get": {
                    "summary": "One story: its first appearance and every copy",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                    ],
                    "responses": {
                        "200": _json("Story", "The story"),
                        "404": _json("Error", "No such story"),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Search": SEARCH,
                "Result": RESULT,
                "Article": ARTICLE,
                "Story": STORY,
                "Copy": COPY,
                "Error": ERROR,
            }
        },
    }

"""The letters app's part of the REST API (/api/v1/cases/<id>/letters/…): a case's closing
letters (metadata) and the approved version's PDF. ``urls`` is included by
familievaerft/api_urls.py under the project's "api" namespace."""

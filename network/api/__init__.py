"""The network app's part of the REST API (/api/v1/cases/<id>/network/…): the people on the
child's network map and the network meetings, read only. ``urls`` is included by
familievaerft/api_urls.py under the project's "api" namespace."""

"""The plans app's part of the REST API (/api/v1/cases/<id>/plan/…): the case's plan with its
goals and scaling rounds, adding a goal, recording a round. ``urls`` is included by
familievaerft/api_urls.py under the project's "api" namespace."""

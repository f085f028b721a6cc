"""The cases app's part of the REST API (/api/v1/): cases and citizens, and a case's
notifications, assessments and measures. ``access`` holds the helper every app's API uses to
load the case in the URL (logged; outsiders 404); ``urls`` is included by
familievaerft/api_urls.py under the project's "api" namespace."""

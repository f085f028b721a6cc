"""The plan of a case, all under /sager/<uuid:case_id>/plan/ (names in the ``plans``
namespace). Every view loads the case through ``cases.pages.case_page`` (see
plans/views/common.py); tests/plans/test_plan_access.py checks every pattern here for every
persona, so a new URL is covered the moment it is added."""

from django.urls import path

from plans.views import goals, page, ratings, safety, versions

app_name = "plans"

P = "sager/<uuid:case_id>/plan/"

urlpatterns = [
    path(P, page.plan_detail, name="plan_detail"),
    path(f"{P}opret/", page.plan_create, name="plan_create"),
    path(f"{P}afsnit/<slug:section>/", page.plan_section_edit, name="plan_section_edit"),
    path(f"{P}udskriv/", page.plan_print, name="plan_print"),
    # Goals and who does what
    path(f"{P}maal/nyt/", goals.plan_goal_add, name="plan_goal_add"),
    path(f"{P}maal/<int:goal_id>/", goals.plan_goal_edit, name="plan_goal_edit"),
    path(f"{P}maal/<int:goal_id>/status/", goals.plan_goal_status, name="plan_goal_status"),
    path(
        f"{P}maal/<int:goal_id>/ansvar/nyt/",
        goals.plan_responsibility_add,
        name="plan_responsibility_add",
    ),
    path(
        f"{P}ansvar/<int:responsibility_id>/fjern/",
        goals.plan_responsibility_remove,
        name="plan_responsibility_remove",
    ),
    # Signs of Safety
    path(f"{P}vurderingskort/nyt/", safety.plan_safety_add, name="plan_safety_add"),
    path(
        f"{P}vurderingskort/<int:entry_id>/fjern/",
        safety.plan_safety_remove,
        name="plan_safety_remove",
    ),
    path(f"{P}bekymringer/ny/", safety.plan_worry_add, name="plan_worry_add"),
    path(f"{P}bekymringer/<int:worry_id>/", safety.plan_worry_edit, name="plan_worry_edit"),
    path(
        f"{P}bekymringer/<int:worry_id>/fjern/",
        safety.plan_worry_remove,
        name="plan_worry_remove",
    ),
    # Scaling 0–10
    path(f"{P}skalering/ny/", ratings.plan_rating_round, name="plan_rating_round"),
    path(f"{P}skalering/<int:round_id>/", ratings.plan_rating_add, name="plan_rating_add"),
    # Versions
    path(f"{P}versioner/", versions.plan_versions, name="plan_versions"),
    path(f"{P}versioner/ny/", versions.plan_version_freeze, name="plan_version_freeze"),
    path(f"{P}versioner/<int:number>/", versions.plan_version, name="plan_version"),
    path(f"{P}sammenlign/", versions.plan_compare, name="plan_compare"),
]

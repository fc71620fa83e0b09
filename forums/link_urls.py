from django.urls import path

from forums import link_views

urlpatterns = [
    path(
        "forums/lessons/<int:lesson_id>/prompts/<str:block_id>/",
        link_views.lesson_prompt,
        name="forum_lesson_prompt",
    ),
    path(
        "forums/roundtables/<int:session_id>/follow-up/",
        link_views.roundtable_followup,
        name="forum_roundtable_followup",
    ),
    path("forums/cohorts/<slug:slug>/", link_views.cohort_forum, name="forum_cohort"),
]

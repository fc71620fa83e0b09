from django.urls import path

from courses import views

urlpatterns = [
    path("learn/quiz/<int:lesson_id>/<str:quiz_id>/", views.quiz_submit, name="quiz_submit"),
    path("learn/lessons/<int:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("learn/lessons/<int:lesson_id>/time/", views.lesson_time, name="lesson_time"),
    path("learn/lessons/<int:lesson_id>/reflections/<str:block_id>/", views.reflection_save, name="reflection_save"),
    path(
        "learn/lessons/<int:lesson_id>/actions/<str:block_id>/",
        views.improvement_action_add,
        name="improvement_action_add",
    ),
    path("learn/plan/", views.improvement_plan, name="improvement_plan"),
    path("learn/plan/<int:action_id>/status/", views.improvement_action_status, name="improvement_action_status"),
    path("cohorts/<slug:slug>/reflections/", views.cohort_reflections, name="cohort_reflections"),
    path("learn/search/", views.course_search, name="course_search"),
    path("cohorts/<slug:slug>/progress/", views.cohort_progress, name="cohort_progress"),
    path("certificates/<str:code>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
]

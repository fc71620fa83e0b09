from django.urls import path

from courses import views

urlpatterns = [
    path("learn/quiz/<int:lesson_id>/<str:quiz_id>/", views.quiz_submit, name="quiz_submit"),
    path("learn/lessons/<int:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("learn/lessons/<int:lesson_id>/time/", views.lesson_time, name="lesson_time"),
    path("learn/search/", views.course_search, name="course_search"),
    path("cohorts/<slug:slug>/progress/", views.cohort_progress, name="cohort_progress"),
    path("certificates/<str:code>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
]

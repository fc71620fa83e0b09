from django.urls import path

from courses import views

urlpatterns = [
    path("learn/quiz/<int:lesson_id>/<str:quiz_id>/", views.quiz_submit, name="quiz_submit"),
]

from django.urls import path

from forums import search_views

urlpatterns = [
    path("forums/search/", search_views.forum_search, name="forum_search"),
]

from django.urls import include, path

from forums import views

urlpatterns = [
    path("forums/", views.forums_home, name="forums_home"),
    path("forums/<int:space_id>/", views.forum_space, name="forum_space"),
    path("forums/categories/<int:category_id>/", views.forum_category, name="forum_category"),
    path("forums/categories/<int:category_id>/new/", views.thread_new, name="forum_thread_new"),
    path("forums/categories/<int:category_id>/follow/", views.category_follow, name="forum_category_follow"),
    path("forums/threads/<int:thread_id>/", views.thread_detail, name="forum_thread"),
    path("forums/threads/<int:thread_id>/reply/", views.thread_reply, name="forum_reply"),
    path("forums/threads/<int:thread_id>/follow/", views.thread_follow, name="forum_thread_follow"),
    path("forums/posts/<int:post_id>/", views.post_detail, name="forum_post"),
    path("forums/posts/<int:post_id>/edit/", views.post_edit, name="forum_post_edit"),
    path("forums/posts/<int:post_id>/delete/", views.post_delete, name="forum_post_delete"),
    path("forums/posts/<int:post_id>/helpful/", views.post_helpful, name="forum_post_helpful"),
    path("forums/posts/<int:post_id>/accept/", views.answer_accept, name="forum_answer_accept"),
    # Each part of the forums keeps its own routes.
    path("", include("forums.moderation_urls")),
    path("", include("forums.notification_urls")),
    path("", include("forums.search_urls")),
    path("", include("forums.link_urls")),
]

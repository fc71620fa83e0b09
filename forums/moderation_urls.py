from django.urls import path

from forums import moderation_views as views

urlpatterns = [
    path("forums/posts/<int:post_id>/flag/", views.post_flag, name="forum_flag"),
    path("forums/posts/<int:post_id>/flags/dismiss/", views.flags_dismiss, name="forum_flags_dismiss"),
    path("forums/posts/<int:post_id>/hide/", views.post_hide, name="forum_post_hide"),
    path("forums/posts/<int:post_id>/restore/", views.post_restore, name="forum_post_restore"),
    path("forums/posts/<int:post_id>/history/", views.post_history, name="forum_post_history"),
    path("forums/threads/<int:thread_id>/lock/", views.thread_lock, name="forum_thread_lock"),
    path("forums/threads/<int:thread_id>/pin/", views.thread_pin, name="forum_thread_pin"),
    path("forums/threads/<int:thread_id>/hide/", views.thread_hide, name="forum_thread_hide"),
    path("forums/threads/<int:thread_id>/move/", views.thread_move, name="forum_thread_move"),
    path("forums/<int:space_id>/moderation/", views.moderation_queue, name="forum_moderation_queue"),
    path("forums/<int:space_id>/moderation/log/", views.moderation_log, name="forum_moderation_log"),
    path("forums/<int:space_id>/moderation/suspensions/", views.suspensions, name="forum_suspensions"),
    path(
        "forums/<int:space_id>/moderation/suspensions/<int:suspension_id>/lift/",
        views.suspension_lift,
        name="forum_suspension_lift",
    ),
    path("forums/<int:space_id>/moderation/limits/", views.limits, name="forum_moderation_limits"),
    path("forums/<int:space_id>/moderation/categories/new/", views.category_add, name="forum_category_add"),
]
